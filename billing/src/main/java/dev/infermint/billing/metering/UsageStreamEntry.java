package dev.infermint.billing.metering;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import dev.infermint.billing.service.UsageRecord;
import dev.infermint.metering.UsageStream;

/**
 * One entry of the usage stream as read: its stream id and its fields, as {@link UsageStream} names them.
 *
 * @param id the entry's stream id ({@code <millis>-<seq>})
 * @param fields its fields; null when the entry was deleted from the stream before billing stored it
 */
public record UsageStreamEntry(String id, Map<String, String> fields) {

  /**
   * Reads the call this entry records. Fields that decide the bill (event id, tenant, endpoint, units, compute
   * time, status, time, overage) must be present and valid. The others may be empty and never cost a call its
   * count: the model (empty when the gateway could not tell, e.g. a body that named none), key and version (null),
   * and the request id (cut to the column's length).
   *
   * @return the call to bill
   * @throws IllegalArgumentException when it cannot be billed; the message names the field and says why
   */
  public UsageRecord toRecord() {
    if (fields == null) {
      throw new IllegalArgumentException("the entry was deleted from the stream before billing stored it");
    }
    String schema = text(UsageStream.VERSION_OF_SCHEMA, 8);
    if (!UsageStream.SCHEMA.equals(schema)) {
      throw new IllegalArgumentException(UsageStream.VERSION_OF_SCHEMA + ": unsupported schema version '" + schema
          + "' (this billing reads " + UsageStream.SCHEMA + ")");
    }
    int status = (int) number(UsageStream.STATUS);
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException(UsageStream.STATUS + ": must be an HTTP status between 100 and 599, got "
          + status);
    }
    String overage = text(UsageStream.OVERAGE, 16);
    if (!"0".equals(overage) && !"1".equals(overage)) {
      throw new IllegalArgumentException(UsageStream.OVERAGE + ": must be 0 or 1, got '" + overage + "'");
    }
    String requestId = optional(UsageStream.REQUEST_ID, Integer.MAX_VALUE);
    if (requestId != null && requestId.length() > UsageRecord.MAX_ID) {
      requestId = requestId.substring(0, UsageRecord.MAX_ID);
    }
    return new UsageRecord(text(UsageStream.ID, UsageRecord.MAX_ID),
        text(UsageStream.TENANT, UsageRecord.MAX_TENANT_ID),
        optional(UsageStream.KEY_ID, UsageRecord.MAX_ID),
        Objects.requireNonNullElse(optional(UsageStream.MODEL, UsageRecord.MAX_NAME), ""),
        optional(UsageStream.MODEL_VERSION, UsageRecord.MAX_VERSION),
        text(UsageStream.ENDPOINT, UsageRecord.MAX_NAME),
        number(UsageStream.UNITS),
        number(UsageStream.COMPUTE_MS),
        status,
        Instant.ofEpochMilli(number(UsageStream.TIMESTAMP)),
        "1".equals(overage),
        requestId);
  }

  private String text(String field, int max) {
    String value = optional(field, max);
    if (value == null) {
      throw new IllegalArgumentException(field + ": is required");
    }
    return value;
  }

  private String optional(String field, int max) {
    String value = fields.get(field);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(field + ": must be at most " + max + " characters");
    }
    return value;
  }

  private long number(String field) {
    String value = text(field, 20);
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + ": must be a whole number, got '" + value + "'");
    }
    if (n < 0) {
      throw new IllegalArgumentException(field + ": must not be negative, got " + n);
    }
    return n;
  }
}
