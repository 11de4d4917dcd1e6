package dev.infermint.billing.subscriptions;

import static dev.infermint.billing.subscriptions.StripeFlows.buy;
import static dev.infermint.billing.subscriptions.StripeFlows.newTenant;
import static dev.infermint.billing.subscriptions.StripeFlows.ofType;
import static dev.infermint.billing.subscriptions.StripeFlows.stripe;
import static dev.infermint.billing.subscriptions.StripeFlows.subscribe;
import static dev.infermint.billing.subscriptions.StripeFlows.webhook;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.billing.config.BillingConfig;
import dev.infermint.billing.rest.TenantsStandIn;

/**
 * A subscription's life at Stripe drives the tenant's plan: checkout pays and moves it to the plan, a failed renewal
 * keeps it for the past-due grace ({@code %test}: 4 s) and then moves it to free, paying again restores it, a
 * cancellation moves it to free. Keys and data are another service's and are never touched; only the plan moves.
 */
@QuarkusTest
class SubscriptionLifecycleTest {

  @Inject
  BillingConfig config;
  @Inject
  PastDueGraceCheck graceCheck;
  @Inject
  EntityManager em;

  @Test
  void checkoutPaidMovesTheTenantToThePlanThroughTheTenantsService() {
    String tenant = newTenant("free");
    List<String> events = buy(tenant, "pro");
    assertEquals("free", TenantsStandIn.plan(tenant), "nothing changes before Stripe says it is paid");

    webhook(ofType(events, "checkout.session.completed")).then().statusCode(200).body("outcome", equalTo("synced"));
    assertEquals("pro", TenantsStandIn.plan(tenant));
    String call = TenantsStandIn.planChangeCalls(tenant).get(0);
    assertTrue(call.contains("|service-token|stripe-evt_"), "billing's token, the event as request id: " + call);
  }

  @Test
  void pastDueKeepsThePlanForTheGraceThenFallsBackToFreeAndPayingRestoresIt() {
    String tenant = newTenant("free");
    String subscription = subscribe(tenant, "enterprise");
    assertEquals("enterprise", TenantsStandIn.plan(tenant));
    InvoicesChangedRecorder.TENANTS.clear();

    for (String event : stripe().invoicePaymentFailed(subscription)) {
      webhook(event).then().statusCode(200).body("outcome", equalTo("synced"));
    }
    assertEquals("enterprise", TenantsStandIn.plan(tenant), "past due: the plan stays during the grace");
    assertEquals(List.of(tenant), InvoicesChangedRecorder.TENANTS, "the invoices cache hears of the failed invoice");

    await("the grace (" + config.pastDueGrace() + ") ends and the tenant falls back to free")
        .atMost(config.pastDueGrace().plus(Duration.ofSeconds(15)))
        .until(() -> "free".equals(TenantsStandIn.plan(tenant)));
    assertEquals(List.of("enterprise", "free"), TenantsStandIn.planChanges(tenant));

    webhook(stripe().setSubscriptionStatus(subscription, "active")).then().statusCode(200);
    assertEquals("enterprise", TenantsStandIn.plan(tenant), "paid again: the plan comes back");
    assertEquals(List.of("enterprise", "free", "enterprise"), TenantsStandIn.planChanges(tenant));
  }

  @Test
  void thePeriodicCheckEndsAGraceWhoseTimerWasLost() {
    String tenant = newTenant("free");
    String subscription = subscribe(tenant, "pro");
    for (String event : stripe().invoicePaymentFailed(subscription)) {
      webhook(event).then().statusCode(200);
    }
    assertEquals("pro", TenantsStandIn.plan(tenant));
    // As after a restart: the grace began an hour ago, and the timer set for its end died with the old process.
    QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE billing.payment_subscription"
        + " SET past_due_since = now() - interval '1 hour' WHERE subscription_id = ?1")
        .setParameter(1, subscription).executeUpdate());

    assertTrue(graceCheck.run() >= 1, "the check found the subscription");
    assertEquals("free", TenantsStandIn.plan(tenant));
    assertEquals(List.of("pro", "free"), TenantsStandIn.planChanges(tenant));
  }

  @Test
  void aCancelledOrUnpaidSubscriptionMovesTheTenantToFree() {
    String canceled = newTenant("free");
    webhook(stripe().setSubscriptionStatus(subscribe(canceled, "pro"), "canceled")).then().statusCode(200);
    assertEquals("free", TenantsStandIn.plan(canceled));

    String unpaid = newTenant("free");
    webhook(stripe().setSubscriptionStatus(subscribe(unpaid, "pro"), "unpaid")).then().statusCode(200);
    assertEquals("free", TenantsStandIn.plan(unpaid));
    assertEquals(List.of("pro", "free"), TenantsStandIn.planChanges(unpaid));
  }

  @Test
  void aTrialGivesThePlanAndAnotherLiveSubscriptionKeepsItsPlanWhenOneEnds() {
    String tenant = newTenant("free");
    String pro = subscribe(tenant, "pro");
    String enterprise = subscribe(tenant, "enterprise");
    assertEquals("enterprise", TenantsStandIn.plan(tenant), "the dearest paid-for plan wins");

    webhook(stripe().setSubscriptionStatus(enterprise, "canceled")).then().statusCode(200);
    assertEquals("pro", TenantsStandIn.plan(tenant), "the pro subscription still pays");
    webhook(stripe().setSubscriptionStatus(pro, "trialing")).then().statusCode(200);
    assertEquals("pro", TenantsStandIn.plan(tenant));
    assertEquals(List.of("pro", "enterprise", "pro"), TenantsStandIn.planChanges(tenant));
  }
}
