package dev.infermint.billing.subscriptions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.config.BillingConfig;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.billing.payments.PaymentProviderException;

/**
 * Ends the grace of past-due subscriptions: every {@code infermint.billing.grace-check-interval}, each
 * subscription past due for longer than {@code infermint.billing.past-due-grace} whose grace was not applied yet is
 * re-read from the processor and stored ({@link SubscriptionService#sync}); if it is still past due, its tenant
 * falls back to the fallback plan unless another subscription pays for a plan. While the processor cannot be read,
 * the stored state decides (the grace is billing's promise). Besides the interval, a check runs just after each grace
 * that billing saw start ({@link #checkAt}). Each subscription is its own transaction, under its
 * lock, so several replicas running the check act once. Runs only when the provider takes webhooks (billing learns
 * of past-due subscriptions only from them). quarkus-scheduler is not in billing; a single-thread executor is
 * enough.
 */
@ApplicationScoped
public class PastDueGraceCheck {

  private static final Logger LOG = Logger.getLogger(PastDueGraceCheck.class);
  private static final int PAGE = 100;

  @Inject
  PaymentProvider provider;
  @Inject
  SubscriptionRepository repository;
  @Inject
  SubscriptionService subscriptions;
  @Inject
  BillingConfig config;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "past-due-grace");
    t.setDaemon(true);
    return t;
  });

  void start(@Observes StartupEvent event) {
    if (!provider.capabilities().contains(PaymentProvider.Capability.WEBHOOKS)) {
      return;
    }
    long every = config.graceCheckInterval().toMillis();
    timer.scheduleWithFixedDelay(this::run, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    timer.shutdownNow();
  }

  /**
   * Runs the check once more just after a grace ends, so the downgrade happens on time whatever the interval; the
   * periodic check stays the durable backstop (this timer is lost with the process).
   *
   * @param graceEnds when a past-due subscription's grace ends
   */
  void checkAt(Instant graceEnds) {
    if (timer.isShutdown()) {
      return;
    }
    long delay = Math.max(0, Duration.between(Instant.now(), graceEnds).toMillis()) + 100;
    try {
      timer.schedule(this::run, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debugf("Grace check not scheduled (stopping): %s", e.getMessage());
    }
  }

  /**
   * Applies every grace that is over now.
   *
   * @return how many subscriptions were looked at
   */
  int run() {
    int seen = 0;
    try {
      Instant before = Instant.now().minus(config.pastDueGrace());
      List<String> due = QuarkusTransaction.requiringNew().call(() -> repository.graceOver(before, PAGE));
      for (String id : due) {
        seen++;
        try {
          expire(id);
        } catch (RuntimeException e) {
          // Stays due: the next round tries again (tenants service down, processor refusing).
          LOG.warnf("Past-due grace of %s not applied (%s); next try in %s", id, e.getMessage(),
              config.graceCheckInterval());
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf("Past-due grace check failed (%s); next try in %s", e.getMessage(), config.graceCheckInterval());
    }
    return seen;
  }

  private void expire(String subscriptionId) {
    String requestId = "grace-" + subscriptionId;
    SubscriptionService.Sync sync;
    try {
      sync = QuarkusTransaction.requiringNew().call(() -> subscriptions.sync(subscriptionId, null, requestId));
      if (sync.outcome() == SubscriptionService.Outcome.OBJECT_MISSING) {
        sync = QuarkusTransaction.requiringNew().call(() -> subscriptions.expireGraceFromStored(subscriptionId,
            requestId));
      }
    } catch (PaymentProviderException e) {
      if (!e.retryable()) {
        throw e;
      }
      LOG.warnf("Cannot re-read past-due subscription %s (%s); its stored state decides", subscriptionId,
          e.getMessage());
      sync = QuarkusTransaction.requiringNew().call(() -> subscriptions.expireGraceFromStored(subscriptionId,
          requestId));
    }
    LOG.infof("Past-due grace of %s: %s", subscriptionId, sync.detail());
  }
}
