package dev.infermint.tenants.rest;

import java.util.Map;

/**
 * An audit event another service recorded (the model registry's outbox), for {@code POST /internal/audit}.
 *
 * @param id the sender's UUID of the event; a second delivery with the same id is not stored again
 * @param tenantId the tenant the action concerns
 * @param actor the caller's subject, may be null
 * @param actorKind {@code user}, {@code api_key} or {@code service}
 * @param action what was done, e.g. {@code model.version_uploaded}
 * @param target what it was done to, e.g. {@code model/sentiment/versions/3}
 * @param requestId the {@code X-Request-Id} of the request that did it, may be null
 * @param occurredAt when, ISO-8601
 * @param details further facts, may be null
 */
public record RecordAuditRequest(String id, String tenantId, String actor, String actorKind, String action,
    String target, String requestId, String occurredAt, Map<String, Object> details) {
}
