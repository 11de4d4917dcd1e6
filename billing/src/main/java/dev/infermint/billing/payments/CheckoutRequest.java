package dev.infermint.billing.payments;

/**
 * A hosted checkout of a plan's subscription.
 *
 * @param tenantId the buying tenant (the session's client reference and the subscription's metadata)
 * @param customerId the tenant's customer
 * @param plan the plan id
 * @param prices the plan's prices
 * @param idempotencyKey makes a retried request open the same session
 */
public record CheckoutRequest(String tenantId, String customerId, String plan, CatalogIds.PlanPrices prices,
    String idempotencyKey) {
}
