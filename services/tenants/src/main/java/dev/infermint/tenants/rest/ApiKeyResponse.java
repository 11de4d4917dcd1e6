package dev.infermint.tenants.rest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An API key as listings show it: never the secret nor its hash.
 *
 * @param id the key id
 * @param name the label
 * @param prefix the first 12 characters of the key
 * @param scopes the scopes' wire names
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, or null for never
 * @param revokedAt when it was revoked, or null
 * @param lastUsedAt the latest use the gateways reported (they report every ~30 s), or null when never used
 * @param status {@code active}, {@code expired} or {@code revoked}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiKeyResponse(String id, String name, String prefix, List<String> scopes, Instant createdAt,
    Instant expiresAt, Instant revokedAt, Instant lastUsedAt, String status) {
}
