package dev.infermint.tenants.rest;

import java.util.List;

/**
 * Body of {@code POST /api/v1/tenants/{tenantId}/api-keys}.
 *
 * @param name a label for people, 1 to 100 characters
 * @param scopes {@code inference} and/or {@code admin}; {@code ["inference"]} when absent
 * @param expiresAt ISO-8601 instant with offset (e.g. {@code 2030-01-01T00:00:00Z}) in the future; never expires
 *     when absent
 */
public record CreateApiKeyRequest(String name, List<String> scopes, String expiresAt) {
}
