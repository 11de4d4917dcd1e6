package dev.infermint.licensing;

/** A licence or machine file that must not be trusted, with the reason. */
public class LicenseVerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** Not a compact JWS, or claims missing. */
    MALFORMED,
    /** Not EdDSA, or signed by a key that is not published. */
    UNKNOWN_KEY,
    /** The signature does not match: the file was changed or forged. */
    BAD_SIGNATURE,
    /** A licence file where a machine file was expected, or the reverse. */
    WRONG_TYPE,
    /** Past {@code exp}. */
    EXPIRED,
    /** A machine file of another machine. */
    FINGERPRINT_MISMATCH,
    /** An entitlement the caller needs is not held. */
    ENTITLEMENTS_MISSING
  }

  private final Reason reason;

  /**
   * @param reason why
   * @param message what, for people
   */
  public LicenseVerificationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** @return why verification failed */
  public Reason reason() {
    return reason;
  }
}
