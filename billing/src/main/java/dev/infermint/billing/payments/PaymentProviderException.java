package dev.infermint.billing.payments;

/** The payment processor refused or could not be reached. */
public class PaymentProviderException extends RuntimeException {

  private final boolean retryable;
  private final int status;

  /**
   * @param message what failed, for logs and problems
   * @param cause the client library's exception
   * @param retryable whether the same call may succeed later (network, 429, 5xx)
   * @param status the processor's HTTP status, 0 when none came back
   */
  public PaymentProviderException(String message, Throwable cause, boolean retryable, int status) {
    super(message, cause);
    this.retryable = retryable;
    this.status = status;
  }

  /** @return whether the same call may succeed later */
  public boolean retryable() {
    return retryable;
  }

  /** @return the processor's HTTP status, 0 when none came back */
  public int status() {
    return status;
  }
}
