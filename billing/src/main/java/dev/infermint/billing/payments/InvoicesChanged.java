package dev.infermint.billing.payments;

/**
 * CDI event fired when a webhook says a tenant's invoices changed at the processor ({@code invoice.paid},
 * {@code invoice.payment_failed}), so that a cache of its invoices drops the tenant's entry. Fired inside the
 * webhook's transaction; an observer that must not act on a rolled-back webhook observes
 * {@code during = TransactionPhase.AFTER_SUCCESS}.
 *
 * @param tenantId the tenant whose invoices changed
 */
public record InvoicesChanged(String tenantId) {
}
