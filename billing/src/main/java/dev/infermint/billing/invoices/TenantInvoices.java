package dev.infermint.billing.invoices;

import java.util.List;

import dev.infermint.billing.payments.InvoiceView;

/**
 * A tenant's invoices.
 *
 * @param paymentSync whether they come from a payment processor; false: only billing's local preview
 * @param provider the payment provider's id
 * @param invoices the processor's invoices, newest first; empty without payment sync
 * @param upcoming the next invoice (the processor's, or billing's preview of the current month); null when the
 *     processor has none
 */
public record TenantInvoices(boolean paymentSync, String provider, List<InvoiceView> invoices, InvoiceView upcoming) {
}
