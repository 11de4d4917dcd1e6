package dev.infermint.billing.payments;

import java.time.Instant;

/**
 * Usage reported to the overage meter.
 *
 * @param identifier the deduplication key: the same identifier is counted once
 * @param customerId the customer
 * @param value the quantity (requests)
 * @param timestamp when the usage happened (within the processor's window, 35 days for Stripe)
 */
public record MeterEvent(String identifier, String customerId, long value, Instant timestamp) {
}
