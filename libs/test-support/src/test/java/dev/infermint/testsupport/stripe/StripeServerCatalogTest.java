package dev.infermint.testsupport.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.param.CustomerListParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.ProductCreateParams;

/** Customers, products and prices through the real stripe-java client. */
class StripeServerCatalogTest {

  private static StripeServer stripe;
  private static StripeClient client;

  @BeforeAll
  static void start() {
    stripe = new StripeServer().start();
    client = StripeClient.builder().setApiKey(stripe.apiKey()).setApiBase(stripe.baseUrl()).setMaxNetworkRetries(0)
        .build();
  }

  @AfterAll
  static void stop() {
    stripe.close();
  }

  @Test
  void customerIsCreatedAndRetrievedWithItsMetadata() throws StripeException {
    String tenant = StripeFixtures.unique("t");
    Customer created = StripeFixtures.customer(client, tenant);

    Customer read = client.v1().customers().retrieve(created.getId());

    assertTrue(created.getId().startsWith("cus_"));
    assertEquals(tenant + "@example.test", read.getEmail());
    assertEquals("Tenant " + tenant, read.getName());
    assertEquals(tenant, read.getMetadata().get("tenant_id"));
    assertTrue(stripe.requests("POST", "/v1/customers").stream()
        .anyMatch(r -> tenant.equals(r.param("metadata[tenant_id]"))), "the client sent metadata[tenant_id]");
  }

  @Test
  void unknownCustomerIsResourceMissing() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> client.v1().customers().retrieve("cus_nope"));

    assertEquals(404, e.getStatusCode());
    assertEquals("resource_missing", e.getCode());
    assertEquals("No such customer: 'cus_nope'", e.getStripeError().getMessage());
  }

  @Test
  void searchByTenantMetadataFindsOnlyThatTenant() throws StripeException {
    String tenant = StripeFixtures.unique("t");
    Customer mine = StripeFixtures.customer(client, tenant);
    StripeFixtures.customer(client, StripeFixtures.unique("other"));

    List<Customer> found = client.v1().customers().search(CustomerSearchParams.builder()
        .setQuery("metadata['tenant_id']:'" + tenant + "'").build()).getData();

    assertEquals(List.of(mine.getId()), found.stream().map(Customer::getId).toList());
  }

  @Test
  void listByEmailFiltersCustomers() throws StripeException {
    String tenant = StripeFixtures.unique("t");
    Customer mine = StripeFixtures.customer(client, tenant);

    List<Customer> found = client.v1().customers().list(CustomerListParams.builder()
        .setEmail(tenant + "@example.test").build()).getData();

    assertEquals(List.of(mine.getId()), found.stream().map(Customer::getId).toList());
  }

  @Test
  void productKeepsTheIdItWasCreatedWithAndRefusesItTwice() throws StripeException {
    String id = StripeFixtures.unique("prod_infermint");
    Product product = client.v1().products().create(ProductCreateParams.builder().setId(id).setName("Pro")
        .putMetadata("plan", "pro").build());

    assertEquals(id, client.v1().products().retrieve(id).getId());
    assertEquals("pro", product.getMetadata().get("plan"));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> client.v1().products()
        .create(ProductCreateParams.builder().setId(id).setName("Again").build()));
    assertEquals("resource_already_exists", e.getCode());
  }

  @Test
  void pricesAreFoundByLookupKeyWithTheProductExpanded() throws StripeException {
    Product product = StripeFixtures.product(client, "Pro");
    String key = StripeFixtures.unique("pro_monthly");
    Price price = StripeFixtures.licensedPrice(client, product.getId(), key, 2000);
    StripeFixtures.licensedPrice(client, product.getId(), StripeFixtures.unique("other"), 100);

    List<Price> found = client.v1().prices().list(PriceListParams.builder().addLookupKey(key).setActive(true)
        .addExpand("data.product").build()).getData();

    assertEquals(1, found.size());
    Price read = found.get(0);
    assertEquals(price.getId(), read.getId());
    assertEquals(key, read.getLookupKey());
    assertEquals(2000L, read.getUnitAmount());
    assertEquals("month", read.getRecurring().getInterval());
    assertEquals("licensed", read.getRecurring().getUsageType());
    assertInstanceOf(Product.class, read.getProductObject());
    assertEquals("Pro", read.getProductObject().getName());
  }

  @Test
  void aLookupKeyNamesOnePriceUnlessTransferred() throws StripeException {
    Product product = StripeFixtures.product(client, "Pro");
    String key = StripeFixtures.unique("pro_monthly");
    Price first = StripeFixtures.licensedPrice(client, product.getId(), key, 2000);
    PriceCreateParams.Builder again = PriceCreateParams.builder().setCurrency("usd").setUnitAmount(2500L)
        .setProduct(product.getId()).setLookupKey(key);

    assertThrows(InvalidRequestException.class, () -> client.v1().prices().create(again.build()));
    Price second = client.v1().prices().create(again.setTransferLookupKey(true).build());

    assertNotEquals(first.getId(), second.getId());
    assertNull(client.v1().prices().retrieve(first.getId()).getLookupKey());
    assertEquals(List.of(second.getId()), client.v1().prices().list(PriceListParams.builder().addLookupKey(key)
        .build()).getData().stream().map(Price::getId).toList());
  }

  @Test
  void aMeteredPriceNeedsAMeter() throws StripeException {
    Product product = StripeFixtures.product(client, "Tokens");

    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> client.v1().prices().create(
        PriceCreateParams.builder().setCurrency("usd").setUnitAmount(1L).setProduct(product.getId())
            .setRecurring(PriceCreateParams.Recurring.builder()
                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                .setUsageType(PriceCreateParams.Recurring.UsageType.METERED).build()).build()));

    assertEquals("recurring[meter]", e.getParam());
  }
}
