package dev.infermint.admin.client;

/** The gateway answered a call with an error status; {@link #detail()} is its problem detail when it sent one. */
public class GatewayException extends RuntimeException {

  private final int status;
  private final String detail;

  /**
   * @param status the HTTP status the gateway answered
   * @param detail the problem {@code detail}, or a summary when the body was not a problem
   */
  public GatewayException(int status, String detail) {
    super("Gateway answered " + status + ": " + detail, null, false, false);
    this.status = status;
    this.detail = detail;
  }

  /** @return the HTTP status the gateway answered */
  public int status() {
    return status;
  }

  /** @return what the gateway said went wrong */
  public String detail() {
    return detail;
  }

  /** A 4xx answer: this request was refused; the gateway itself is healthy, so the circuit breaker ignores it. */
  public static class Refused extends GatewayException {

    /**
     * @param status the 4xx status
     * @param detail the problem detail
     */
    public Refused(int status, String detail) {
      super(status, detail);
    }
  }
}
