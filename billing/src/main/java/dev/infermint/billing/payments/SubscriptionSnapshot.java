package dev.infermint.billing.payments;

import java.time.Instant;

/**
 * A subscription as the processor holds it now.
 *
 * @param id subscription id
 * @param customerId its customer
 * @param tenantId the tenant from its metadata; null when absent
 * @param status {@code trialing}, {@code active}, {@code past_due}, {@code canceled}, {@code unpaid},
 *     {@code incomplete}, {@code incomplete_expired} or {@code paused}
 * @param plan the plan id its price belongs to; null when no price is one of ours
 * @param currentPeriodEnd end of the period paid for; null when unknown
 */
public record SubscriptionSnapshot(String id, String customerId, String tenantId, String status, String plan,
    Instant currentPeriodEnd) {
}
