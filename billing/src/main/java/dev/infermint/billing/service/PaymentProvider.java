package dev.infermint.billing.service;

/**
 * Where payments are taken. One implementation per processor ({@code none} now, Stripe later); the one whose
 * {@link #id()} equals {@code infermint.billing.payment-provider} is used, see {@link PaymentService}.
 * Implementations are {@code @ApplicationScoped} beans and must be cheap to construct: every one is created at
 * startup to read its id, even when not selected.
 */
public interface PaymentProvider {

  /** @return the id by which configuration selects this provider, e.g. {@code none} */
  String id();

  /** @return whether subscriptions and invoices are synchronised with a real payment processor */
  boolean syncsPayments();
}
