package dev.infermint.gateway.quota;

/**
 * The limits of a plan that the gateway enforces.
 *
 * @param plan the plan id
 * @param requestsPerMinute admitted inference calls per minute per tenant
 * @param requestsPerMonth admitted inference calls per calendar month per tenant (enforced by a later issue)
 */
public record PlanLimits(String plan, long requestsPerMinute, long requestsPerMonth) {
}
