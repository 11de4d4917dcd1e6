package dev.infermint.billing.payments;

/**
 * What a completed checkout bought.
 *
 * @param sessionId the session
 * @param customerId the customer
 * @param tenantId the client reference the session was opened with; null when none
 * @param subscriptionId the subscription it created; null for a one-time payment
 * @param status {@code open}, {@code complete} or {@code expired}
 * @param mode {@code subscription} or {@code payment}
 * @param paymentStatus {@code paid}, {@code unpaid} or {@code no_payment_required}
 * @param licenseProduct the licence product a payment-mode session bought (its metadata); null otherwise
 */
public record CheckoutResult(String sessionId, String customerId, String tenantId, String subscriptionId,
    String status, String mode, String paymentStatus, String licenseProduct) {
}
