package dev.infermint.gateway.metering;

import java.time.Instant;

/**
 * One admitted inference call, as billing stores it ({@code POST /internal/usage}); the request id makes it
 * idempotent.
 *
 * @param requestId the call's request id
 * @param tenantId the tenant charged
 * @param model the model name as called
 * @param endpoint {@code infer} or {@code embeddings}
 * @param units tokens (embeddings) or rows (OIP), as the worker reported; 0 for failed calls
 * @param computeMs worker compute time
 * @param status the HTTP status answered to the client
 * @param occurredAt when the call was admitted
 */
public record UsageEvent(String requestId, String tenantId, String model, String endpoint, long units,
    long computeMs, int status, Instant occurredAt) {
}
