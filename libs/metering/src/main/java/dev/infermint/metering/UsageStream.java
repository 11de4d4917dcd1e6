package dev.infermint.metering;

/**
 * The Redis Stream of usage events: the gateway appends one entry per admitted call ({@code XADD}) before the
 * client's response completes; billing reads it with consumer group {@link #GROUP} ({@code XREADGROUP}), stores
 * each event under its {@link #ID} (unique), and acknowledges ({@code XACK}) only after the commit.
 *
 * <p>Every field value is a string. {@link #ID} is minted by the gateway, one per call; nothing the client sends
 * (its {@code X-Request-Id}, the path's spelling) takes part in it.
 */
public final class UsageStream {

  /** Default stream key; both sides read it from config ({@code infermint.metering.stream}). */
  public static final String DEFAULT_KEY = "infermint:usage";
  /** Billing's consumer group. */
  public static final String GROUP = "billing";

  /** Event id minted by the gateway (unique per admitted call; billing's idempotency key). */
  public static final String ID = "id";
  /** Schema version of the entry; {@link #SCHEMA} for entries written by this code. */
  public static final String VERSION_OF_SCHEMA = "v";
  /** Current schema version. */
  public static final String SCHEMA = "1";
  /** Tenant charged. */
  public static final String TENANT = "tenant";
  /** Id of the API key that made the call. */
  public static final String KEY_ID = "key";
  /** Model name as resolved by the worker (or as called, when no worker answered). */
  public static final String MODEL = "model";
  /** Model version the worker ran; empty when unknown. */
  public static final String MODEL_VERSION = "version";
  /** Canonical route template of the call, e.g. {@code /v1/embeddings} or {@code /v2/models/{model}/infer}. */
  public static final String ENDPOINT = "endpoint";
  /** Units the worker computed from the whole request (tokens for embeddings, batch rows for OIP); 0 unless 2xx. */
  public static final String UNITS = "units";
  /** Worker compute time in milliseconds. */
  public static final String COMPUTE_MS = "computeMs";
  /** HTTP status the client got. */
  public static final String STATUS = "status";
  /** When the call was admitted, epoch milliseconds (UTC). */
  public static final String TIMESTAMP = "ts";
  /** {@code 1} when the call was admitted past the monthly quota under {@code overage: bill}, else {@code 0}. */
  public static final String OVERAGE = "overage";
  /** The client's {@code X-Request-Id}, kept for correlation only; never a key. */
  public static final String REQUEST_ID = "requestId";

  private UsageStream() {
  }
}
