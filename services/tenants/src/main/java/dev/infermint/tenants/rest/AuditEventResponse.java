package dev.infermint.tenants.rest;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a tenant's audit log.
 *
 * @param id the event id; pass the last one of a page as {@code before} to read the next (older) page
 * @param actor who did it: user id, API key id, or null for a service call without a subject
 * @param actorKind {@code user}, {@code api_key} or {@code service}
 * @param action what was done, e.g. {@code api_key.revoked} (see docs/tenants.md)
 * @param target the id of what it was done to: tenant, API key or user id
 * @param requestId the {@code X-Request-Id} of the request, or null
 * @param occurredAt when
 * @param details further facts (e.g. {@code {"from": "free", "to": "pro"}}), or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditEventResponse(long id, String actor, String actorKind, String action, String target,
    String requestId, Instant occurredAt, Map<String, Object> details) {
}
