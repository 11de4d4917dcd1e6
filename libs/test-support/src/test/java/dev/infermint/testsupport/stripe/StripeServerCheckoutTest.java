package dev.infermint.testsupport.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.billing.Meter;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import com.stripe.param.InvoiceCreatePreviewParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.SubscriptionListParams;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.checkout.SessionCreateParams;

/** Checkout, the customer's side of it, subscriptions, invoices and the portal through the real stripe-java client. */
class StripeServerCheckoutTest {

  private static StripeServer stripe;
  private static StripeClient client;

  @BeforeAll
  static void start() {
    stripe = new StripeServer().start();
    client = stripe.client();
  }

  @AfterAll
  static void stop() {
    stripe.close();
  }

  /** A customer with a Pro plan: a licensed seat price and a metered token price. */
  private record Plan(Customer customer, Meter meter, Price seat, Price tokens) {
  }

  private static Plan plan() throws StripeException {
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    Meter meter = StripeFixtures.meter(client, StripeFixtures.unique("tokens"));
    Product product = StripeFixtures.product(client, "Pro");
    Price seat = StripeFixtures.licensedPrice(client, product.getId(), StripeFixtures.unique("pro_monthly"), 2000);
    Price tokens = StripeFixtures.meteredPrice(client, product.getId(), StripeFixtures.unique("pro_tokens"),
        meter.getId(), "0.5");
    return new Plan(customer, meter, seat, tokens);
  }

  private static Session checkout(Plan plan, String tenantId) throws StripeException {
    return client.v1().checkout().sessions().create(SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.SUBSCRIPTION).setCustomer(plan.customer().getId())
        .addLineItem(SessionCreateParams.LineItem.builder().setPrice(plan.seat().getId()).setQuantity(1L).build())
        .addLineItem(SessionCreateParams.LineItem.builder().setPrice(plan.tokens().getId()).build())
        .setSuccessUrl("https://app.test/billing/success").setCancelUrl("https://app.test/billing/cancel")
        .setClientReferenceId(tenantId).putMetadata("tenant_id", tenantId)
        .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putMetadata("tenant_id", tenantId)
            .build())
        .build());
  }

  private static Event parse(String json) {
    return ApiResource.GSON.fromJson(json, Event.class);
  }

  @Test
  void aCompletedCheckoutBecomesAnActiveSubscriptionWithThePlansLookupKey() throws StripeException {
    Plan plan = plan();
    Session session = checkout(plan, "tenant-a");

    assertTrue(session.getId().startsWith("cs_test_"));
    assertEquals("open", session.getStatus());
    assertEquals(stripe.baseUrl() + "/checkout/" + session.getId(), session.getUrl());
    assertEquals(2000L, session.getAmountTotal());

    List<Event> events = stripe.completeCheckout(session.getId()).stream().map(StripeServerCheckoutTest::parse)
        .toList();

    assertEquals(List.of("checkout.session.completed", "customer.subscription.created", "invoice.paid"),
        events.stream().map(Event::getType).toList());
    Session completedInEvent = (Session) events.get(0).getDataObjectDeserializer().getObject().orElseThrow();
    assertEquals("complete", completedInEvent.getStatus());
    Session completed = client.v1().checkout().sessions().retrieve(session.getId());
    assertEquals("complete", completed.getStatus());
    assertEquals("tenant-a", completed.getClientReferenceId());
    assertNotNull(completed.getSubscription());

    Subscription subscription = client.v1().subscriptions().retrieve(completed.getSubscription());
    assertEquals("active", subscription.getStatus());
    assertEquals(plan.customer().getId(), subscription.getCustomer());
    assertEquals(Map.of("tenant_id", "tenant-a"), subscription.getMetadata());
    assertFalse(subscription.getCancelAtPeriodEnd());
    assertNotNull(subscription.getLatestInvoice());
    List<SubscriptionItem> items = subscription.getItems().getData();
    assertEquals(List.of(plan.seat().getLookupKey(), plan.tokens().getLookupKey()),
        items.stream().map(i -> i.getPrice().getLookupKey()).toList());
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    assertEquals(month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC), items.get(0).getCurrentPeriodStart());
    assertEquals(month.plusMonths(1).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC),
        items.get(0).getCurrentPeriodEnd());
    assertEquals(List.of(subscription.getId()), client.v1().subscriptions().list(SubscriptionListParams.builder()
        .setCustomer(plan.customer().getId()).build()).getData().stream().map(Subscription::getId).toList());
  }

  @Test
  void invoicesAreListedAndTheUpcomingOneBillsMeteredUsage() throws StripeException {
    Plan plan = plan();
    String subscriptionId = parse(stripe.completeCheckout(checkout(plan, "tenant-b").getId()).get(1))
        .getDataObjectDeserializer().getObject().map(o -> ((Subscription) o).getId()).orElseThrow();
    client.v1().billing().meterEvents().create(MeterEventCreateParams.builder()
        .setEventName(plan.meter().getEventName()).setIdentifier(StripeFixtures.unique("e"))
        .putPayload("stripe_customer_id", plan.customer().getId()).putPayload("value", "1000").build());

    List<Invoice> invoices = client.v1().invoices().list(InvoiceListParams.builder()
        .setCustomer(plan.customer().getId()).setLimit(10L).build()).getData();
    Invoice preview = client.v1().invoices().createPreview(InvoiceCreatePreviewParams.builder()
        .setCustomer(plan.customer().getId()).setSubscription(subscriptionId).build());

    assertEquals(1, invoices.size());
    Invoice first = invoices.get(0);
    assertEquals("paid", first.getStatus());
    assertEquals(2000L, first.getAmountPaid());
    assertEquals("usd", first.getCurrency());
    assertNotNull(first.getNumber());
    assertTrue(first.getHostedInvoiceUrl().startsWith(stripe.baseUrl()));
    assertEquals(subscriptionId, first.getParent().getSubscriptionDetails().getSubscription());

    assertTrue(preview.getId().startsWith("upcoming_in_"));
    assertEquals("draft", preview.getStatus());
    assertNull(preview.getNumber());
    List<InvoiceLineItem> lines = preview.getLines().getData();
    assertEquals(List.of(2000L, 500L), lines.stream().map(InvoiceLineItem::getAmount).toList());
    assertEquals(1000L, lines.get(1).getQuantity());
    assertEquals(plan.tokens().getId(), lines.get(1).getPricing().getPriceDetails().getPrice());
    assertEquals(2500L, preview.getTotal());
    assertEquals(2500L, preview.getAmountDue());
    assertEquals(lines.get(1).getPeriod().getStart(), preview.getPeriodStart());
    assertEquals(lines.get(1).getPeriod().getEnd(), preview.getPeriodEnd());
  }

  @Test
  void aCustomerWithoutSubscriptionHasNoUpcomingInvoice() throws StripeException {
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));

    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> client.v1().invoices()
        .createPreview(InvoiceCreatePreviewParams.builder().setCustomer(customer.getId()).build()));

    assertEquals("invoice_upcoming_none", e.getCode());
  }

  @Test
  void checkoutRefusesAQuantityOnAMeteredPriceAndAMissingOneOnALicensedPrice() throws StripeException {
    Plan plan = plan();
    SessionCreateParams.Builder base = SessionCreateParams.builder().setMode(SessionCreateParams.Mode.SUBSCRIPTION)
        .setCustomer(plan.customer().getId()).setSuccessUrl("https://app.test/ok");

    InvalidRequestException metered = assertThrows(InvalidRequestException.class, () -> client.v1().checkout()
        .sessions().create(base.addLineItem(SessionCreateParams.LineItem.builder().setPrice(plan.tokens().getId())
            .setQuantity(1L).build()).build()));
    InvalidRequestException licensed = assertThrows(InvalidRequestException.class, () -> client.v1().checkout()
        .sessions().create(SessionCreateParams.builder().setMode(SessionCreateParams.Mode.SUBSCRIPTION)
            .addLineItem(SessionCreateParams.LineItem.builder().setPrice(plan.seat().getId()).build()).build()));

    assertEquals("line_items[0][quantity]", metered.getParam());
    assertEquals("line_items[0][quantity]", licensed.getParam());
  }

  @Test
  void statusChangesAndFailedPaymentsComeWithTheirEvents() throws StripeException {
    Plan plan = plan();
    Subscription created = (Subscription) parse(stripe.completeCheckout(checkout(plan, "tenant-c").getId()).get(1))
        .getDataObjectDeserializer().getObject().orElseThrow();

    List<Event> failed = stripe.invoicePaymentFailed(created.getId()).stream()
        .map(StripeServerCheckoutTest::parse).toList();
    Subscription pastDue = client.v1().subscriptions().retrieve(created.getId());
    Event canceled = parse(stripe.setSubscriptionStatus(created.getId(), "canceled"));

    assertEquals(List.of("invoice.payment_failed", "customer.subscription.updated"),
        failed.stream().map(Event::getType).toList());
    Invoice open = (Invoice) failed.get(0).getDataObjectDeserializer().getObject().orElseThrow();
    assertEquals("open", open.getStatus());
    assertEquals("past_due", pastDue.getStatus());
    assertEquals(open.getId(), pastDue.getLatestInvoice());
    assertEquals("customer.subscription.deleted", canceled.getType());
    assertEquals("canceled", client.v1().subscriptions().retrieve(created.getId()).getStatus());
    assertTrue(client.v1().subscriptions().list(SubscriptionListParams.builder()
        .setCustomer(plan.customer().getId()).build()).getData().isEmpty(), "canceled ones are not listed");
  }

  @Test
  void anEventFromAnotherApiVersionCarriesTheObjectOnlyAsRawJson() throws StripeException {
    Plan plan = plan();
    Subscription created = (Subscription) parse(stripe.completeCheckout(checkout(plan, "tenant-d").getId()).get(1))
        .getDataObjectDeserializer().getObject().orElseThrow();

    Event old = parse(stripe.event("customer.subscription.updated", created.getId(), "2020-08-27"));
    Event current = parse(stripe.event("customer.subscription.updated", created.getId(), null));

    assertEquals("2020-08-27", old.getApiVersion());
    assertTrue(old.getDataObjectDeserializer().getObject().isEmpty(), "stripe-java refuses to map it");
    assertTrue(old.getDataObjectDeserializer().getRawJson().contains(created.getId()));
    assertEquals(Stripe.API_VERSION, current.getApiVersion());
    assertInstanceOf(Subscription.class, current.getDataObjectDeserializer().getObject().orElseThrow());
    assertEquals(old.getId(), client.v1().events().retrieve(old.getId()).getId());
  }

  @Test
  void portalSessionHasAUrlBackToTheServer() throws StripeException {
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));

    com.stripe.model.billingportal.Session portal = client.v1().billingPortal().sessions().create(
        com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customer.getId())
            .setReturnUrl("https://app.test/billing").build());

    assertTrue(portal.getId().startsWith("bps_"));
    assertEquals(customer.getId(), portal.getCustomer());
    assertEquals("https://app.test/billing", portal.getReturnUrl());
    assertEquals(stripe.baseUrl() + "/portal/" + portal.getId(), portal.getUrl());
  }
}
