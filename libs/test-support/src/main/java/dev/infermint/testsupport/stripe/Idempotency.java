package dev.infermint.testsupport.stripe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stripe's {@code Idempotency-Key} for POSTs: the first answer is stored and replayed for the same key with the same
 * endpoint and parameters; other parameters or another endpoint is a 400 {@code idempotency_error}; a key whose
 * first request is still running is a 409. As Stripe documents, a request that fails validation (a 4xx) stores
 * nothing, so it can be retried with the same key once fixed; successes and 5xx answers are stored.
 */
final class Idempotency {

  /** A stored answer. */
  record Stored(String method, String path, Map<String, Object> params, int status, String body) {
  }

  private static final Stored IN_FLIGHT = new Stored(null, null, null, 0, null);

  private final Map<String, Stored> entries = new ConcurrentHashMap<>();

  /**
   * @return the stored answer to replay, or null when the caller should run the request and then
   *     {@link #complete} or {@link #abandon} the key
   * @throws StripeError when the key is in use or was first used differently
   */
  Stored begin(String key, String method, String path, Map<String, Object> params) {
    Stored existing = entries.putIfAbsent(key, IN_FLIGHT);
    if (existing == null) {
      return null;
    }
    if (existing == IN_FLIGHT) {
      throw StripeError.idempotencyInFlight();
    }
    if (!existing.method().equals(method) || !existing.path().equals(path)) {
      throw StripeError.idempotencyMismatch("Keys for idempotent requests can only be used for the same endpoint"
          + " they were first used for ('" + existing.method() + " " + existing.path() + "'). Try using a key other"
          + " than '" + key + "' if you meant to execute a different request.");
    }
    if (!existing.params().equals(params)) {
      throw StripeError.idempotencyMismatch("Keys for idempotent requests can only be used with the same"
          + " parameters they were first used with. Try using a key other than '" + key + "' if you meant to"
          + " execute a different request.");
    }
    return existing;
  }

  void complete(String key, Stored answer) {
    if (answer.status() >= 400 && answer.status() < 500) {
      entries.remove(key);
    } else {
      entries.put(key, answer);
    }
  }

  void abandon(String key) {
    entries.remove(key);
  }

  void clear() {
    entries.clear();
  }
}
