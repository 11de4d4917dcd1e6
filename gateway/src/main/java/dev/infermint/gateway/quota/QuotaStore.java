package dev.infermint.gateway.quota;

/**
 * Where the gateway keeps each tenant's request counters. {@code local} keeps them in this process (one gateway);
 * a Redis store (a later issue) shares them between replicas. Selected by {@code infermint.gateway.quota-store}.
 */
public interface QuotaStore {

  /**
   * Takes one call from the tenant's per-minute allowance.
   *
   * @param tenantId the tenant
   * @param limits the tenant's current plan limits; a plan change starts a new allowance
   * @return the decision, with the values for the rate-limit headers
   */
  QuotaDecision tryConsume(String tenantId, PlanLimits limits);
}
