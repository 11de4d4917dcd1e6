package dev.infermint.billing.payments;

import java.util.Set;

/** The provider used without a payment processor: usage is metered and rated, nothing is charged. */
public final class NonePaymentProvider implements PaymentProvider {

  /** The id that selects this provider. */
  public static final String ID = "none";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }
}
