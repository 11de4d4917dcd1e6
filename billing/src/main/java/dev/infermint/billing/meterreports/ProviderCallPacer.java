package dev.infermint.billing.meterreports;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.infermint.billing.config.UsageBillingConfig;

/**
 * Spaces the background calls to the payment processor (meter events, meter summaries) at least
 * {@code 1 / max-calls-per-second} apart, so that this instance never approaches Stripe's 1,000 calls per second
 * however large a backlog it works through after an outage.
 */
@ApplicationScoped
public class ProviderCallPacer {

  private final long intervalNanos;
  private long next;

  /** @param config the rate */
  @Inject
  public ProviderCallPacer(UsageBillingConfig config) {
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, config.meterReports().maxCallsPerSecond());
  }

  /** Waits until the next call may start, and books it. */
  public void acquire() {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long start = Math.max(now, next);
      next = start + intervalNanos;
      wait = start - now;
    }
    if (wait > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
