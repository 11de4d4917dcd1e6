package dev.infermint.billing.subscriptions;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.billing.client.TenantsClient;
import dev.infermint.billing.config.BillingConfig;
import dev.infermint.billing.payments.PaymentCustomers;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.billing.payments.PaymentProviderException;
import dev.infermint.billing.payments.SubscriptionSnapshot;
import dev.infermint.billing.rest.Plan;
import dev.infermint.billing.service.PlanService;
import dev.infermint.problem.Problems;

/**
 * Keeps each subscription as the processor holds it and the tenant's plan in line with its subscriptions. A
 * subscription is always re-read from the processor (never taken from a webhook's body), under a per-subscription
 * lock, so deliveries that arrive late, twice, out of order or in another API version all store the processor's
 * current state. The tenant's plan is then decided from all of its subscriptions:
 * <ul>
 *   <li>one that is {@code trialing} or {@code active}, or {@code past_due} for less than
 *       {@code infermint.billing.past-due-grace}, gives its plan (the dearest wins when several do);</li>
 *   <li>otherwise, when the subscription just read has ended ({@code canceled}, {@code unpaid},
 *       {@code incomplete_expired}, {@code paused}, or past due beyond the grace), the tenant falls back to
 *       {@code infermint.billing.fallback-plan};</li>
 *   <li>otherwise ({@code incomplete}: the first payment is still open) the plan stays as it is.</li>
 * </ul>
 * The plan is changed through the tenants service only when it differs from the tenant's current one; nothing else
 * about the tenant (keys, models, data) is touched. Every method needs the caller's transaction: the lock lasts
 * until it ends.
 */
@ApplicationScoped
public class SubscriptionService {

  private static final Logger LOG = Logger.getLogger(SubscriptionService.class);

  @Inject
  PaymentProvider provider;
  @Inject
  PaymentCustomers customers;
  @Inject
  SubscriptionRepository repository;
  @Inject
  TenantsClient tenants;
  @Inject
  PlanService plans;
  @Inject
  BillingConfig config;
  @Inject
  MeterRegistry metrics;
  @Inject
  PastDueGraceCheck graceCheck;

  /** What a synchronisation did. */
  public enum Outcome {
    /** The subscription is stored as the processor holds it and the tenant's plan follows it. */
    SYNCED,
    /** Neither our customers, the subscription's metadata nor the checkout name a tenant (or it is gone). */
    TENANT_UNKNOWN,
    /** The processor does not know the object (another account, or deleted). */
    OBJECT_MISSING
  }

  /**
   * @param outcome what happened
   * @param tenantId the tenant, when known
   * @param state the stored state; null unless synced
   * @param planChangedTo the plan the tenant was moved to; null when its plan stayed
   * @param detail for people and the event log
   */
  public record Sync(Outcome outcome, String tenantId, SubscriptionState state, String planChangedTo,
      String detail) {
  }

  /**
   * Re-reads a subscription from the processor, stores it, and moves its tenant's plan if it must.
   *
   * @param subscriptionId the subscription
   * @param tenantHint the tenant a checkout named, used when neither the customer nor the metadata names one
   * @param requestId recorded by the tenants service with a plan change
   * @return what happened
   * @throws PaymentProviderException when the processor cannot be read (retryable: try again later)
   * @throws dev.infermint.problem.ProblemException 503 when the tenants service cannot be reached
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Sync sync(String subscriptionId, String tenantHint, String requestId) {
    repository.lock(subscriptionId);
    SubscriptionSnapshot snapshot;
    try {
      snapshot = provider.subscription(subscriptionId);
    } catch (PaymentProviderException e) {
      if (!e.retryable() && e.status() == 404) {
        return new Sync(Outcome.OBJECT_MISSING, null, null, null, "subscription " + subscriptionId
            + " is unknown to " + provider.id());
      }
      throw e;
    }
    Optional<SubscriptionState> previous = repository.find(subscriptionId);
    String tenantId = tenantOf(snapshot, tenantHint, previous);
    if (tenantId == null) {
      return new Sync(Outcome.TENANT_UNKNOWN, null, null, null, "no tenant for customer " + snapshot.customerId()
          + " of subscription " + subscriptionId);
    }
    Instant now = Instant.now();
    boolean pastDue = "past_due".equals(snapshot.status());
    Optional<SubscriptionState> wasPastDue = previous.filter(p -> "past_due".equals(p.status()));
    Instant pastDueSince = pastDue ? wasPastDue.map(SubscriptionState::pastDueSince).orElse(now) : null;
    Instant graceEndedAt = pastDue ? wasPastDue.map(SubscriptionState::graceEndedAt).orElse(null) : null;
    String plan = snapshot.plan() != null && plans.find(snapshot.plan()).isPresent() ? snapshot.plan() : null;
    SubscriptionState state = new SubscriptionState(subscriptionId, tenantId, snapshot.customerId(),
        snapshot.status(), plan, snapshot.currentPeriodEnd(), pastDueSince, graceEndedAt);
    return store(state, now, requestId);
  }

  /**
   * Applies the end of a past-due subscription's grace from its stored state, for when the processor cannot be
   * read: the last state it told us is past due, and the grace is a promise of billing, not of the processor.
   *
   * @param subscriptionId a subscription stored as past due
   * @param requestId recorded by the tenants service with a plan change
   * @return what happened; {@code SYNCED} without a change when the stored state is no longer past due
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Sync expireGraceFromStored(String subscriptionId, String requestId) {
    repository.lock(subscriptionId);
    Optional<SubscriptionState> stored = repository.find(subscriptionId);
    if (stored.isEmpty()) {
      return new Sync(Outcome.OBJECT_MISSING, null, null, null, "subscription " + subscriptionId + " is not stored");
    }
    return store(stored.get(), Instant.now(), requestId);
  }

  /**
   * @param tenantId a tenant
   * @param plan a plan id
   * @return whether the tenant holds a subscription to the plan that is trialing, active or past due
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public boolean subscribed(String tenantId, String plan) {
    return repository.byTenant(tenantId).stream()
        .anyMatch(s -> SubscriptionState.CURRENT.contains(s.status()) && plan.equals(s.plan()));
  }

  private Sync store(SubscriptionState read, Instant now, String requestId) {
    Duration grace = config.pastDueGrace();
    SubscriptionState state = read;
    if ("past_due".equals(state.status()) && state.ended(now, grace) && state.graceEndedAt() == null) {
      state = new SubscriptionState(state.id(), state.tenantId(), state.customerId(), state.status(), state.plan(),
          state.currentPeriodEnd(), state.pastDueSince(), now);
    }
    repository.upsert(provider.id(), state);
    if ("past_due".equals(state.status()) && state.graceEndedAt() == null && state.pastDueSince() != null) {
      graceCheck.checkAt(state.pastDueSince().plus(grace));
    }
    return applyPlan(state, now, grace, requestId);
  }

  private String tenantOf(SubscriptionSnapshot snapshot, String tenantHint, Optional<SubscriptionState> previous) {
    if (snapshot.customerId() != null) {
      Optional<String> ours = customers.tenantOf(snapshot.customerId());
      if (ours.isPresent()) {
        return ours.get();
      }
    }
    if (snapshot.tenantId() != null && !snapshot.tenantId().isBlank()) {
      return snapshot.tenantId();
    }
    if (tenantHint != null && !tenantHint.isBlank()) {
      return tenantHint;
    }
    return previous.map(SubscriptionState::tenantId).orElse(null);
  }

  private Sync applyPlan(SubscriptionState trigger, Instant now, Duration grace, String requestId) {
    String tenantId = trigger.tenantId();
    List<Plan> catalog = plans.list();
    Comparator<String> byPrice = Comparator.comparingInt(id -> catalog.indexOf(plans.find(id).orElseThrow()));
    Optional<String> paidFor = repository.byTenant(tenantId).stream().filter(s -> s.grantsPlan(now, grace))
        .map(SubscriptionState::plan).filter(p -> plans.find(p).isPresent()).max(byPrice);
    String desired = paidFor.orElse(trigger.ended(now, grace) ? config.fallbackPlan() : null);
    String what = "subscription " + trigger.id() + " " + trigger.status();
    if (desired == null) {
      return new Sync(Outcome.SYNCED, tenantId, trigger, null, what + ": plan unchanged");
    }
    Optional<JsonNode> tenant = readTenant(tenantId);
    if (tenant.isEmpty() || "deleted".equals(tenant.get().path("status").asText())) {
      return new Sync(Outcome.TENANT_UNKNOWN, tenantId, trigger, null, what + ": tenant " + tenantId
          + " is unknown or deleted");
    }
    String current = tenant.get().path("plan").asText(null);
    if (desired.equals(current)) {
      return new Sync(Outcome.SYNCED, tenantId, trigger, null, what + ": tenant already on " + desired);
    }
    try {
      tenants.changePlan(tenantId, desired, requestId);
    } catch (TenantsClient.NotRetriable e) {
      if (e.problem().status() == 404) {
        return new Sync(Outcome.TENANT_UNKNOWN, tenantId, trigger, null, what + ": tenant " + tenantId
            + " is unknown");
      }
      throw e.problem();
    } catch (FaultToleranceException e) {
      throw Problems.unavailable("The tenants service did not answer in time; the plan is unchanged");
    }
    Counter.builder("infermint_billing_subscription_plan_changes_total")
        .description("Tenants moved to another plan by their subscriptions")
        .tag("to", paidFor.isPresent() ? "subscribed" : "fallback").register(metrics).increment();
    LOG.infof("Tenant %s: %s -> plan %s (was %s)", tenantId, what, desired, current);
    return new Sync(Outcome.SYNCED, tenantId, trigger, desired, what + ": plan " + current + " -> " + desired);
  }

  private Optional<JsonNode> readTenant(String tenantId) {
    try {
      return tenants.tenant(tenantId);
    } catch (TenantsClient.NotRetriable e) {
      throw e.problem();
    } catch (FaultToleranceException e) {
      throw Problems.unavailable("The tenants service did not answer in time; the plan is unchanged");
    }
  }
}
