package dev.infermint.billing.rest;

import java.time.Instant;

/**
 * One admitted inference call, as the gateway posts it to {@code POST /internal/usage} and as billing answers it.
 *
 * @param requestId the call's {@code X-Request-Id}; the idempotency key (at most 128 characters)
 * @param tenantId the tenant that made the call
 * @param model the model name as called
 * @param endpoint the endpoint called, e.g. {@code /v1/embeddings} or {@code /v2/models/m/infer}
 * @param units units consumed (tokens for embeddings, batch rows for OIP, as {@code X-Infermint-Units}); default 0
 * @param computeMs worker compute time ({@code X-Infermint-Compute-Ms}); default 0
 * @param status the HTTP status the call answered (100..599)
 * @param occurredAt when the call happened, an ISO-8601 instant such as {@code 2025-01-31T12:00:00Z}
 */
public record UsageEvent(String requestId, String tenantId, String model, String endpoint, Long units,
    Long computeMs, Integer status, Instant occurredAt) {
}
