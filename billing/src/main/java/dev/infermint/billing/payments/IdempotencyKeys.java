package dev.infermint.billing.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** The per-request part of the Idempotency-Keys billing sends the processor for what a client asked. */
public final class IdempotencyKeys {

  private IdempotencyKeys() {
  }

  /**
   * @param clientKey the client's {@code Idempotency-Key} header, or null
   * @return a fixed digest of the client's key, so that its retry is the same call at the processor (and the client's
   *     text never reaches it); a fresh UUID when the client sent none, so that each call is its own
   */
  public static String attempt(String clientKey) {
    if (clientKey == null || clientKey.isBlank()) {
      return UUID.randomUUID().toString();
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(clientKey.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
