package dev.infermint.billing.invoices;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;

import dev.infermint.billing.meterreports.UsageBillingFixtures;
import dev.infermint.billing.meterreports.UsageBillingFixtures.Tenant;
import dev.infermint.billing.payments.CatalogIds;
import dev.infermint.billing.payments.InvoicesChanged;
import dev.infermint.billing.payments.PaymentCatalog;
import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.stripe.StripeServer;

/**
 * {@code GET /api/v1/tenants/{tenantId}/invoices} with Stripe on: the customer's invoices and the upcoming one from
 * the Stripe-shaped server, cached (a second call reaches Stripe not at all) until {@link InvoicesChanged}; who may
 * read them. The preview without payment sync is {@code InvoicePreviewTest}.
 */
@QuarkusTest
class InvoiceResourceTest {

  private static final String PATH = "/api/v1/tenants/{tenantId}/invoices";

  @Inject
  UsageBillingFixtures fixtures;
  @Inject
  PaymentCatalog catalog;
  @Inject
  Event<InvoicesChanged> invoicesChanged;

  /** The tenant subscribes to Pro through Checkout, as a customer would: one paid invoice, an upcoming one. */
  private Tenant subscribedToPro() throws StripeException {
    Tenant tenant = fixtures.tenantWithCustomer();
    fixtures.meterId();
    CatalogIds.PlanPrices pro = catalog.ids().orElseThrow().plans().get("pro");
    StripeServer stripe = UsageBillingFixtures.stripe();
    Session session = stripe.client().checkout().sessions().create(SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.SUBSCRIPTION).setCustomer(tenant.customerId())
        .setSuccessUrl("http://localhost/ok").setCancelUrl("http://localhost/cancel")
        .addLineItem(SessionCreateParams.LineItem.builder().setPrice(pro.flatPriceId()).setQuantity(1L).build())
        .addLineItem(SessionCreateParams.LineItem.builder().setPrice(pro.overagePriceId()).build()).build());
    stripe.completeCheckout(session.getId());
    return tenant;
  }

  private static int stripeInvoiceCalls() {
    StripeServer stripe = UsageBillingFixtures.stripe();
    return stripe.callCount("GET", "/v1/invoices") + stripe.callCount("POST", "/v1/invoices/create_preview");
  }

  @Test
  void listsStripesInvoicesAndTheUpcomingOneCachedUntilTheyChange() throws StripeException {
    Tenant tenant = subscribedToPro();
    int before = stripeInvoiceCalls();
    AsService.apiKey(tenant.tenantId(), "key-admin", "tenant-admin").get(PATH, tenant.tenantId())
        .then().log().ifValidationFails().statusCode(200).contentType(ContentType.JSON)
        .body("paymentSync", equalTo(true))
        .body("provider", equalTo("stripe"))
        .body("invoices", hasSize(1))
        .body("invoices[0].id", notNullValue())
        .body("invoices[0].status", equalTo("paid"))
        .body("invoices[0].currency", equalTo("usd"))
        .body("invoices[0].total", equalTo(4900))
        .body("invoices[0].amountDue", equalTo(4900))
        .body("invoices[0].periodStart", notNullValue())
        .body("invoices[0].periodEnd", notNullValue())
        .body("invoices[0].hostedUrl", notNullValue())
        .body("invoices[0].lines.amount", org.hamcrest.Matchers.hasItem(4900))
        .body("upcoming.status", equalTo("upcoming"))
        .body("upcoming.id", nullValue())
        .body("upcoming.lines", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()));
    assertEquals(before + 2, stripeInvoiceCalls(), "one list and one preview");

    // Cached: the second answer is the same and costs no Stripe call.
    AsService.apiKey(tenant.tenantId(), "key-member", "tenant-member").get(PATH, tenant.tenantId())
        .then().statusCode(200).body("invoices", hasSize(1)).body("upcoming.status", equalTo("upcoming"));
    assertEquals(before + 2, stripeInvoiceCalls(), "served from the cache");

    // A webhook says its invoices changed: the next call reads Stripe again.
    invoicesChanged.fire(new InvoicesChanged(tenant.tenantId()));
    AsService.apiKey(tenant.tenantId(), "key-admin", "tenant-admin").get(PATH, tenant.tenantId())
        .then().statusCode(200).body("invoices", hasSize(1));
    assertEquals(before + 4, stripeInvoiceCalls(), "the cache was dropped");
  }

  @Test
  void aCustomerWithoutSubscriptionHasNoInvoicesAndNoUpcomingOne() {
    Tenant tenant = fixtures.tenantWithCustomer();
    AsService.service().get(PATH, tenant.tenantId()).then().log().ifValidationFails().statusCode(200)
        .body("paymentSync", equalTo(true)).body("invoices", hasSize(0)).body("upcoming", nullValue());
  }

  @Test
  void otherTenantsInferenceKeysAndAnonymousCallersAreRefused() {
    Tenant tenant = fixtures.tenantWithCustomer();
    int before = stripeInvoiceCalls();
    AsService.apiKey("t-other", "key-admin-other", "tenant-admin").get(PATH, tenant.tenantId())
        .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("not_found"));
    AsService.apiKey(tenant.tenantId(), "key-inference", "inference").get(PATH, tenant.tenantId())
        .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("forbidden"));
    io.restassured.RestAssured.given().get(PATH, tenant.tenantId())
        .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("unauthenticated"));
    assertEquals(before, stripeInvoiceCalls(), "refused before Stripe is asked");
  }
}
