package dev.infermint.gateway.quota;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Per-tenant Bucket4j buckets in this process: capacity = the plan's requests per minute, refilled whole every
 * minute. Buckets idle for ten minutes are dropped (a new one starts full).
 */
@ApplicationScoped
public class LocalQuotaStore implements QuotaStore {

  private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
      .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(1_000_000).build();

  @Override
  public QuotaDecision tryConsume(String tenantId, PlanLimits limits) {
    long perMinute = Math.max(1, limits.requestsPerMinute());
    // The plan is part of the key: a plan change gives the tenant a fresh bucket of the new size at once.
    Bucket bucket = buckets.get(tenantId + '|' + limits.plan() + '|' + perMinute, k -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, Duration.ofMinutes(1)).build())
        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    long nanosToRefill = probe.isConsumed() ? bucket.estimateAbilityToConsume(perMinute).getNanosToWaitForRefill()
        : probe.getNanosToWaitForRefill();
    long reset = Math.max(0, ceilSeconds(nanosToRefill));
    if (probe.isConsumed()) {
      return new QuotaDecision(true, perMinute, probe.getRemainingTokens(), reset, 0);
    }
    return new QuotaDecision(false, perMinute, 0, reset, Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }
}
