package dev.infermint.billing.meterreports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One report of overage usage to the meter: a tenant's overage requests of one UTC minute (or, for events that came
 * after the minute was first reported, the next {@code seq} of that minute).
 *
 * @param id row id
 * @param identifier the meter event's identifier, {@link #identifier(String, String, Instant, int)}
 * @param tenantId the tenant
 * @param meterId the meter
 * @param minute start of the UTC minute; the meter event's timestamp
 * @param seq the report's number within that minute, from 0
 * @param value overage requests in it
 * @param attempts sends tried so far
 */
public record MeterReport(long id, String identifier, String tenantId, String meterId, Instant minute, int seq,
    long value, int attempts) {

  /**
   * The deterministic meter event identifier: the same report always gets the same one, so a retry after a lost
   * answer is deduplicated by the processor; different reports never share one. {@code imr_} + 40 hex digits of
   * SHA-256 over tenant, meter, minute and seq (Stripe allows 100 characters; tenant ids may be 64 alone).
   *
   * @param tenantId the tenant
   * @param meterId the meter
   * @param minute start of the minute
   * @param seq the report's number within the minute
   * @return the identifier
   */
  public static String identifier(String tenantId, String meterId, Instant minute, int seq) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest((tenantId + '\n' + meterId + '\n'
          + minute.getEpochSecond() + '\n' + seq).getBytes(StandardCharsets.UTF_8));
      return "imr_" + HexFormat.of().formatHex(hash, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
