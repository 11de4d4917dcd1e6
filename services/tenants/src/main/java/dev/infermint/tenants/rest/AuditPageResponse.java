package dev.infermint.tenants.rest;

import java.util.List;

/**
 * Answer of {@code GET /api/v1/tenants/{tenantId}/audit}.
 *
 * @param events the page, newest first; fewer than {@code limit} means there are no older ones
 */
public record AuditPageResponse(List<AuditEventResponse> events) {
}
