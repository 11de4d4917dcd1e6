package dev.infermint.billing.subscriptions;

import static dev.infermint.billing.subscriptions.StripeFlows.buy;
import static dev.infermint.billing.subscriptions.StripeFlows.newTenant;
import static dev.infermint.billing.subscriptions.StripeFlows.objectId;
import static dev.infermint.billing.subscriptions.StripeFlows.ofType;
import static dev.infermint.billing.subscriptions.StripeFlows.read;
import static dev.infermint.billing.subscriptions.StripeFlows.stripe;
import static dev.infermint.billing.subscriptions.StripeFlows.subscribe;
import static dev.infermint.billing.subscriptions.StripeFlows.webhook;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import com.stripe.Stripe;

import dev.infermint.billing.StripeResource;
import dev.infermint.billing.rest.TenantsStandIn;
import dev.infermint.testsupport.stripe.StripeFault;
import dev.infermint.testsupport.stripe.StripeWebhookSigner;

/**
 * {@code POST /api/v1/stripe/webhook} against the running billing: events made by the Stripe stand-in, signed with
 * Stripe's scheme, their objects re-read through the real stripe-java client; the tenant's plan is observed where
 * the tenants service keeps it (the stand-in).
 */
@QuarkusTest
class StripeWebhookResourceTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  @AfterEach
  void clearFaults() {
    stripe().clearFaults();
  }

  @Test
  void forgedMissingStaleAndAlteredSignaturesAre400AndChangeNothing() {
    String tenant = newTenant("free");
    String completed = ofType(buy(tenant, "pro"), "checkout.session.completed");
    long now = Instant.now().getEpochSecond();

    String forged = StripeWebhookSigner.header(completed, "whsec_not_the_endpoints_secret");
    String stale = StripeWebhookSigner.header(completed, StripeResource.WEBHOOK_SECRET, now - 600);
    String altered = completed.replace("\"livemode\":false", "\"livemode\":true");
    assertNotEquals(completed, altered);
    for (String[] c : new String[][] {{"forged", completed, forged}, {"missing", completed, null},
        {"stale", completed, stale}, {"altered", altered, StripeWebhookSigner.header(completed,
            StripeResource.WEBHOOK_SECRET)}}) {
      webhook(c[1], c[2]).then().log().ifValidationFails().statusCode(400).contentType(PROBLEM_JSON)
          .body("code", equalTo("invalid_signature"));
    }
    assertEquals("free", TenantsStandIn.plan(tenant));
    assertEquals(List.of(), TenantsStandIn.planChanges(tenant));

    // None of them was stored as processed: the genuine delivery of the same event id applies.
    webhook(completed).then().statusCode(200).body("outcome", equalTo("synced"));
    assertEquals("pro", TenantsStandIn.plan(tenant));
  }

  @Test
  void aReplayedEventIsAnswered2xxAndChangesNothingTwice() {
    String tenant = newTenant("free");
    String completed = ofType(buy(tenant, "pro"), "checkout.session.completed");
    webhook(completed).then().statusCode(200).body("outcome", equalTo("synced"));
    assertEquals(List.of("pro"), TenantsStandIn.planChanges(tenant));

    // The tenant is moved by hand meanwhile: a replay must not move it back.
    TenantsStandIn.add(tenant, "enterprise");
    webhook(completed).then().statusCode(200).body("outcome", equalTo("duplicate"))
        .body("id", equalTo(read(completed).path("id").asText()));
    assertEquals(List.of("pro"), TenantsStandIn.planChanges(tenant));
    assertEquals("enterprise", TenantsStandIn.plan(tenant));
  }

  @Test
  void anUpdateArrivingBeforeTheCreationConvergesOnStripesState() {
    String tenant = newTenant("free");
    List<String> events = buy(tenant, "pro");
    String subscription = objectId(ofType(events, "customer.subscription.created"));
    String updated = stripe().setSubscriptionStatus(subscription, "active");

    webhook(updated).then().statusCode(200).body("outcome", equalTo("synced"));
    assertEquals("pro", TenantsStandIn.plan(tenant));
    for (String event : List.of(ofType(events, "customer.subscription.created"),
        ofType(events, "checkout.session.completed"), ofType(events, "invoice.paid"))) {
      webhook(event).then().statusCode(200).body("outcome", equalTo("synced"));
    }
    assertEquals(List.of("pro"), TenantsStandIn.planChanges(tenant));
  }

  @Test
  void anOldActiveEventAfterTheCancellationLeavesTheTenantOnTheFallbackPlan() {
    String tenant = newTenant("free");
    String subscription = subscribe(tenant, "pro");
    assertEquals("pro", TenantsStandIn.plan(tenant));
    String stillActive = stripe().setSubscriptionStatus(subscription, "active");
    assertEquals("active", read(stillActive).path("data").path("object").path("status").asText());
    String canceled = stripe().setSubscriptionStatus(subscription, "canceled");

    webhook(canceled).then().statusCode(200).body("type", equalTo("customer.subscription.deleted"));
    assertEquals("free", TenantsStandIn.plan(tenant));
    // Delivered late, its payload says active; Stripe says canceled.
    webhook(stillActive).then().statusCode(200).body("outcome", equalTo("synced"));
    assertEquals("free", TenantsStandIn.plan(tenant));
    assertEquals(List.of("pro", "free"), TenantsStandIn.planChanges(tenant));
  }

  @Test
  void anEventRenderedInAnotherApiVersionIsReReadAndApplied() {
    String tenant = newTenant("free");
    String subscription = objectId(ofType(buy(tenant, "pro"), "customer.subscription.created"));
    String old = stripe().event("customer.subscription.updated", subscription, "2020-08-27");
    assertNotEquals(Stripe.API_VERSION, read(old).path("api_version").asText());

    webhook(old).then().statusCode(200).body("outcome", equalTo("synced"));
    assertEquals("pro", TenantsStandIn.plan(tenant));
  }

  @Test
  void unknownEventTypesAreAnswered2xxAndIgnored() {
    String tenant = newTenant("free");
    String subscription = objectId(ofType(buy(tenant, "pro"), "customer.subscription.created"));
    String trialEnds = stripe().event("customer.subscription.trial_will_end", subscription, null);

    webhook(trialEnds).then().statusCode(200).body("outcome", equalTo("ignored"));
    webhook(trialEnds).then().statusCode(200).body("outcome", equalTo("duplicate"));
    assertEquals("free", TenantsStandIn.plan(tenant));
    assertEquals(List.of(), TenantsStandIn.planChanges(tenant));
  }

  @Test
  void stripeUnreachableDuringTheReReadIs503AndTheRetryApplies() {
    String tenant = newTenant("free");
    String created = ofType(buy(tenant, "pro"), "customer.subscription.created");
    stripe().failPath("GET", "/v1/subscriptions", StripeFault.dropConnection());

    webhook(created).then().log().ifValidationFails().statusCode(503).contentType(PROBLEM_JSON)
        .body("code", equalTo("payment_provider_unavailable")).header("Retry-After", notNullValue());
    assertEquals("free", TenantsStandIn.plan(tenant));

    stripe().clearFaults();
    webhook(created).then().statusCode(200).body("outcome", equalTo("synced"));
    assertEquals("pro", TenantsStandIn.plan(tenant));
  }
}
