package dev.infermint.billing.payments;

/** An operation the configured payment provider cannot do (with {@code none}: anything that takes payments). */
public class PaymentsDisabledException extends RuntimeException {

  private final transient PaymentProvider.Capability capability;

  /**
   * @param provider the provider's id
   * @param capability what it lacks
   */
  public PaymentsDisabledException(String provider, PaymentProvider.Capability capability) {
    super("Payment sync is off (payment provider '" + provider + "' has no " + capability.name().toLowerCase()
        + "): set STRIPE_API_KEY to take payments");
    this.capability = capability;
  }

  /** @return what the provider lacks */
  public PaymentProvider.Capability capability() {
    return capability;
  }
}
