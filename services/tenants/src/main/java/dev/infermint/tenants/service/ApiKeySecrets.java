package dev.infermint.tenants.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Makes API key secrets and the hashes stored in their place. A key is {@code imk_} followed by 32 random bytes in
 * base64url without padding (47 characters); the stored form is the lower-case hex SHA-256 of the whole key's UTF-8
 * bytes, which is what the gateway computes from a bearer token before asking {@code /internal/api-keys/{hash}}.
 */
public final class ApiKeySecrets {

  /** What every key starts with. */
  public static final String KEY_PREFIX = "imk_";
  /** How many characters of a key are kept in clear, to tell keys apart. */
  public static final int DISPLAY_PREFIX_LENGTH = 12;

  private static final int RANDOM_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private ApiKeySecrets() {
  }

  /** @return a fresh secret key, {@code imk_<43 base64url characters>} */
  public static String newKey() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * @param key a full key
   * @return its first {@value #DISPLAY_PREFIX_LENGTH} characters
   */
  public static String displayPrefix(String key) {
    return key.substring(0, DISPLAY_PREFIX_LENGTH);
  }

  /**
   * @param key a full key
   * @return the lower-case hex SHA-256 of its UTF-8 bytes
   */
  public static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * @param candidate a value that should be a stored hash
   * @return whether it is 64 lower-case hex digits
   */
  public static boolean isHash(String candidate) {
    return candidate != null && HASH.matcher(candidate).matches();
  }
}
