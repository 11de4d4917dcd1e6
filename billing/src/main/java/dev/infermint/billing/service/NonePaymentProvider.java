package dev.infermint.billing.service;

import jakarta.enterprise.context.ApplicationScoped;

/** The provider used without a payment processor: usage is metered and rated, nothing is charged. */
@ApplicationScoped
public class NonePaymentProvider implements PaymentProvider {

  /** The id that selects this provider. */
  public static final String ID = "none";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean syncsPayments() {
    return false;
  }
}
