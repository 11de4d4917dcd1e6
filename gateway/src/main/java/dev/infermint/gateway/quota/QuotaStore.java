package dev.infermint.gateway.quota;

import java.time.Instant;

import io.vertx.core.Future;

/**
 * Where the gateway keeps each tenant's per-minute and per-month request counters. {@code redis} shares them between
 * every gateway replica ({@link RedisQuotaStore}); {@code local} keeps them in this process, for a single gateway
 * without Redis ({@link LocalQuotaStore}). Selected by {@code infermint.gateway.quota.store}.
 *
 * <p>Both windows are calendar windows in UTC ({@link dev.infermint.metering.QuotaKeys}); neither counter is keyed by
 * plan, so a plan change keeps what the tenant has used. Implementations never block the calling event loop and
 * complete on the caller's context.
 */
public interface QuotaStore {

  /**
   * Takes one call from the tenant's minute and month allowances in one atomic step: either both count it or
   * neither does.
   *
   * @param tenantId the tenant
   * @param limits the tenant's current plan limits
   * @param now the current instant (the windows it falls in)
   * @return the decision; fails (a {@link dev.infermint.problem.ProblemException}) only when the store cannot answer
   *     and the configured failure mode is to refuse
   */
  Future<QuotaDecision> tryConsume(String tenantId, PlanLimits limits, Instant now);

  /**
   * Reads the tenant's counters without consuming.
   *
   * @param tenantId the tenant
   * @param limits the tenant's current plan limits
   * @param now the current instant
   * @return the state; fails with 503 {@code quota_unavailable} when the store cannot answer
   */
  Future<QuotaState> peek(String tenantId, PlanLimits limits, Instant now);
}
