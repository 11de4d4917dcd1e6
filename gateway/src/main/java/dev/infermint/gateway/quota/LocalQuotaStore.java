package dev.infermint.gateway.quota;

import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.vertx.core.Future;

import dev.infermint.metering.QuotaKeys;

/**
 * The tenants' counters in this process, for a single gateway whose quotas need not be shared, and the fallback of
 * {@link RedisQuotaStore} when Redis is unreachable and the gateway fails open. Same fixed calendar windows and same
 * decisions as the Redis script ({@link QuotaWindows}); the month's count starts at zero when the process starts.
 * Tenants idle for two hours are forgotten.
 *
 * <p>Written by hand instead of Bucket4j's local buckets: Bucket4j refills continuously or at intervals, and
 * cannot express a calendar month, so the two stores would answer differently.
 */
public class LocalQuotaStore implements QuotaStore {

  /** One tenant's two counters; guarded by its own monitor. */
  private static final class Counters {
    String minuteKey = "";
    long minute;
    String monthKey = "";
    long month;

    void roll(String minuteNow, String monthNow) {
      if (!minuteKey.equals(minuteNow)) {
        minuteKey = minuteNow;
        minute = 0;
      }
      if (!monthKey.equals(monthNow)) {
        monthKey = monthNow;
        month = 0;
      }
    }
  }

  private final Cache<String, Counters> tenants = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofHours(2)).maximumSize(1_000_000).build();

  @Override
  public Future<QuotaDecision> tryConsume(String tenantId, PlanLimits limits, Instant now) {
    return Future.succeededFuture(consume(tenantId, limits, now));
  }

  /**
   * The synchronous step behind {@link #tryConsume}, for the Redis store's fallback.
   *
   * @param tenantId the tenant
   * @param limits its plan's limits
   * @param now the instant of the call
   * @return the decision
   */
  QuotaDecision consume(String tenantId, PlanLimits limits, Instant now) {
    Counters c = tenants.get(tenantId, k -> new Counters());
    synchronized (c) {
      c.roll(QuotaKeys.minute(tenantId, now), QuotaKeys.month(tenantId, now));
      QuotaDecision.Outcome outcome = QuotaWindows.outcomeBefore(limits, c.minute, c.month);
      if (outcome == QuotaDecision.Outcome.ADMITTED || outcome == QuotaDecision.Outcome.ADMITTED_OVERAGE) {
        c.minute++;
        c.month++;
      }
      return QuotaWindows.decide(outcome, limits, c.minute, c.month, now);
    }
  }

  @Override
  public Future<QuotaState> peek(String tenantId, PlanLimits limits, Instant now) {
    Counters c = tenants.get(tenantId, k -> new Counters());
    synchronized (c) {
      c.roll(QuotaKeys.minute(tenantId, now), QuotaKeys.month(tenantId, now));
      return Future.succeededFuture(QuotaWindows.state(limits, c.minute, c.month, now));
    }
  }
}
