package dev.infermint.billing.payments;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.param.CustomerSearchParams;

import dev.infermint.billing.StripeResource;
import dev.infermint.billing.rest.TenantsStandIn;
import dev.infermint.problem.ProblemException;
import dev.infermint.testsupport.stripe.StripeServer;

/**
 * Every tenant gets one Stripe customer: when the tenants service announces it, by the backfill for tenants made
 * before (or while billing was down), and on demand; never two, even when an earlier try died between Stripe's
 * answer and billing's insert.
 */
@QuarkusTest
class PaymentCustomersTest {

  @Inject
  PaymentCustomers customers;
  @Inject
  PaymentProvider provider;
  @Inject
  AgroalDataSource db;

  @Test
  void aNewTenantGetsItsCustomerWhenTheTenantsServiceAnnouncesIt() throws Exception {
    String tenant = newTenant();
    try (var c = db.getConnection(); var st = c.prepareStatement("SELECT pg_notify('infermint_tenancy', ?)")) {
      st.setString(1, "{\"type\":\"tenant_created\",\"tenantId\":\"" + tenant + "\"}");
      st.execute();
    }
    await("the customer of " + tenant).atMost(Duration.ofSeconds(10)).until(() -> customers.stored(tenant).isPresent());
    List<Customer> atStripe = customersAtStripe(tenant);
    assertEquals(1, atStripe.size(), "one customer per tenant");
    assertEquals(customers.stored(tenant).get(), atStripe.get(0).getId());
    assertEquals("Tenant " + tenant, atStripe.get(0).getName());
  }

  @Test
  void theBackfillMakesTheMissingCustomersOnce() throws Exception {
    String first = newTenant();
    String second = newTenant();
    assertTrue(customers.backfill() >= 2);
    String firstCustomer = customers.stored(first).orElseThrow();
    customers.stored(second).orElseThrow();
    int made = StripeResource.server().callCount("POST", "/v1/customers");
    assertEquals(0, customers.backfill(), "every tenant has its customer now");
    assertEquals(made, StripeResource.server().callCount("POST", "/v1/customers"));
    assertEquals(firstCustomer, customers.ensure(first));
    assertEquals(1, customersAtStripe(first).size());
  }

  @Test
  void aCustomerMadeAtStripeButNotStoredIsNotMadeTwice() throws Exception {
    String tenant = newTenant();
    // An earlier try got Stripe's answer and died before its insert: the same Idempotency-Key replays that answer.
    String madeBefore = provider.createCustomer(new TenantRef(tenant, tenant, "Tenant " + tenant));
    assertEquals(madeBefore, customers.ensure(tenant));
    assertEquals(1, customersAtStripe(tenant).size());
  }

  @Test
  void anUnknownTenantGetsNoCustomer() {
    ProblemException e = assertThrows(ProblemException.class, () -> customers.ensure("t-nobody-" + UUID.randomUUID()));
    assertEquals(404, e.status());
  }

  private static String newTenant() {
    String id = "t-cust-" + UUID.randomUUID().toString().substring(0, 8);
    TenantsStandIn.add(id, "free");
    return id;
  }

  private static List<Customer> customersAtStripe(String tenant) throws StripeException {
    StripeServer stripe = StripeResource.server();
    return stripe.client().customers().search(CustomerSearchParams.builder()
        .setQuery("metadata['tenant_id']:'" + tenant + "'").build()).getData();
  }
}
