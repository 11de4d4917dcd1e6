package dev.infermint.billing.payments;

/** A webhook that is not provably from the processor: missing, forged, altered or stale signature, or not an event. */
public class WebhookRejectedException extends RuntimeException {

  /**
   * @param message why, without secrets
   * @param cause the verifier's exception, if any
   */
  public WebhookRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
