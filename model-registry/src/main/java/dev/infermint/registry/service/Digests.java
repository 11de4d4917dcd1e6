package dev.infermint.registry.service;

import java.util.regex.Pattern;

/** The {@code sha256:<hex>} digests by which blobs are named. */
public final class Digests {

  /** Prefix of every digest the API writes. */
  public static final String PREFIX = "sha256:";

  private static final Pattern HEX = Pattern.compile("^[0-9a-f]{64}$");

  private Digests() {
  }

  /**
   * @param hex a candidate digest without prefix
   * @return whether it is 64 lower-case hex characters
   */
  public static boolean isHex(String hex) {
    return hex != null && HEX.matcher(hex).matches();
  }

  /**
   * @param digest {@code sha256:<hex>}, or null
   * @return the hex part, or null for null
   */
  public static String hexOf(String digest) {
    return digest == null ? null : digest.startsWith(PREFIX) ? digest.substring(PREFIX.length()) : digest;
  }
}
