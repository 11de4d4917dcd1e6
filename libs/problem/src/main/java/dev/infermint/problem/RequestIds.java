package dev.infermint.problem;

import java.util.UUID;

/** The {@code X-Request-Id} header that follows a request through every service. */
public final class RequestIds {

  /** Header name, set by the gateway on every response and forwarded to every service. */
  public static final String HEADER = "X-Request-Id";

  private RequestIds() {
  }

  /** @return a fresh request id */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /**
   * Accepts a client-supplied id only if it is short and printable, so that it cannot inject headers or logs.
   *
   * @param candidate the incoming header value, may be null
   * @return the candidate if safe, else a fresh id
   */
  public static String sanitize(String candidate) {
    return isSafe(candidate) ? candidate : newId();
  }

  /**
   * @param candidate a client-supplied id, may be null
   * @return whether it is short (1..128) and only letters, digits and {@code - _ . :}
   */
  public static boolean isSafe(String candidate) {
    if (candidate == null || candidate.isEmpty() || candidate.length() > 128) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ':')) {
        return false;
      }
    }
    return true;
  }
}
