package dev.infermint.billing.service;

import java.time.Instant;

/**
 * One admitted inference call to bill, whichever transport brought it (today the gateway's usage stream).
 *
 * @param eventId the id the gateway minted for the call; the idempotency key (unique)
 * @param tenantId the tenant charged
 * @param keyId the API key that made the call
 * @param model the model name; empty when the gateway could not tell
 * @param modelVersion the model version the worker ran, or null when unknown
 * @param endpoint the canonical route template, e.g. {@code /v1/embeddings} or {@code /v2/models/{model}/infer}
 * @param units units consumed (tokens for embeddings, batch rows for OIP)
 * @param computeMs worker compute time in milliseconds
 * @param status the HTTP status the client got
 * @param occurredAt when the call was admitted
 * @param overage whether the call was admitted past the monthly quota under overage {@code bill}
 * @param requestId the client's correlation id, or null; never a key
 */
public record UsageRecord(String eventId, String tenantId, String keyId, String model, String modelVersion,
    String endpoint, long units, long computeMs, int status, Instant occurredAt, boolean overage, String requestId) {

  /** Longest event id, key id or request id the columns hold. */
  public static final int MAX_ID = 128;
  /** Longest tenant id the column holds. */
  public static final int MAX_TENANT_ID = 64;
  /** Longest model name or endpoint the columns hold. */
  public static final int MAX_NAME = 255;
  /** Longest model version the column holds. */
  public static final int MAX_VERSION = 64;
}
