package dev.infermint.admin.client;

/**
 * The gateway answered a call with an error status; {@link #detail()} is its problem detail when it sent one, and
 * {@link #field()} the form field it names (validation problems carry {@code field}).
 */
public class GatewayException extends RuntimeException {

  private final int status;
  private final String detail;
  private final String code;
  private final String field;

  /**
   * @param status the HTTP status the gateway answered
   * @param detail the problem {@code detail}, or a summary when the body was not a problem
   * @param code the problem {@code code}, may be null
   * @param field the field the problem names, may be null
   */
  public GatewayException(int status, String detail, String code, String field) {
    super("Gateway answered " + status + ": " + detail, null, false, false);
    this.status = status;
    this.detail = detail;
    this.code = code;
    this.field = field;
  }

  /** @return the HTTP status the gateway answered */
  public int status() {
    return status;
  }

  /** @return what the gateway said went wrong */
  public String detail() {
    return detail;
  }

  /** @return the problem's stable {@code code}, or null */
  public String code() {
    return code;
  }

  /** @return the request field the problem names, or null */
  public String field() {
    return field;
  }

  /** A 4xx answer: this request was refused; the gateway itself is healthy, so the circuit breaker ignores it. */
  public static class Refused extends GatewayException {

    /**
     * @param status the 4xx status
     * @param detail the problem detail
     * @param code the problem code, may be null
     * @param field the field it names, may be null
     */
    public Refused(int status, String detail, String code, String field) {
      super(status, detail, code, field);
    }
  }
}
