package dev.infermint.licensing;

/**
 * The licence API refused a call, or could not be reached. {@link #code()} is the problem's {@code code}
 * ({@code TOO_MANY_MACHINES}, {@code NOT_FOUND}, {@code unauthenticated}, …) when the server sent one.
 */
public class LicenseApiException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  /**
   * @param status the HTTP status; 0 when no answer came
   * @param code the problem's code; null when none
   * @param message what failed, with the server's detail
   * @param cause the I/O failure, if any
   */
  public LicenseApiException(int status, String code, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  /** @return the HTTP status; 0 when the server could not be reached */
  public int status() {
    return status;
  }

  /** @return the problem's {@code code}, e.g. {@code TOO_MANY_MACHINES}; null when the server sent none */
  public String code() {
    return code;
  }
}
