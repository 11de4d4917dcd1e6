package dev.infermint.tenants.rest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Answer of {@code GET /internal/api-keys/{sha256hex}}: who a working API key acts for.
 *
 * @param keyId the key id (the gateway asserts it as the subject)
 * @param tenantId the owning tenant
 * @param tenantSlug the owning tenant's slug
 * @param tenantStatus the owning tenant's status
 * @param plan the owning tenant's plan
 * @param scopes the key's scopes
 * @param expiresAt when the key stops working, or null for never
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiKeyLookupResponse(String keyId, String tenantId, String tenantSlug, String tenantStatus, String plan,
    List<String> scopes, Instant expiresAt) {
}
