package dev.infermint.gateway.metering;

/**
 * One admitted inference call, as it goes onto the usage stream ({@link dev.infermint.metering.UsageStream}). Exactly
 * one is written per admitted call, whatever happens to the call afterwards.
 *
 * @param eventId minted by the gateway for this call ({@link EventIds}); billing's idempotency key
 * @param tenantId the tenant charged
 * @param keyId the API key that made the call
 * @param model the model as the worker resolved it, or as called when no worker answered
 * @param version the version the worker ran, or empty
 * @param endpoint the canonical route template, e.g. {@code /v1/embeddings}
 * @param units units the worker computed from the whole request; 0 unless the answer was 2xx
 * @param computeMs worker compute time
 * @param status the HTTP status the client got
 * @param admittedAtMillis when the call was admitted, epoch milliseconds
 * @param overage admitted past the monthly quota on a plan that bills overage
 * @param requestId the call's {@code X-Request-Id}, for correlation only
 */
public record UsageEvent(String eventId, String tenantId, String keyId, String model, String version, String endpoint,
    long units, long computeMs, int status, long admittedAtMillis, boolean overage, String requestId) {
}
