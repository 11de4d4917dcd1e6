package dev.infermint.billing.payments;

/**
 * The processor refused a meter event because its timestamp lies outside the window it accepts (Stripe: the past 35
 * days): sending it again can never succeed.
 */
public class MeterEventTooOldException extends PaymentProviderException {

  /**
   * @param message what was refused
   * @param cause the client library's exception
   * @param status the processor's HTTP status
   */
  public MeterEventTooOldException(String message, Throwable cause, int status) {
    super(message, cause, false, status);
  }
}
