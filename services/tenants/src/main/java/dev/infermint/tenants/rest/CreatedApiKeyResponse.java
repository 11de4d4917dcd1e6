package dev.infermint.tenants.rest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A newly issued API key: the only answer that ever carries the secret.
 *
 * @param id the key id
 * @param name the label
 * @param prefix the first 12 characters of the key, shown in listings
 * @param key the full secret, {@code imk_...}; shown once, only its SHA-256 is stored
 * @param scopes the scopes' wire names
 * @param createdAt when it was issued
 * @param expiresAt when it stops working, or null for never
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CreatedApiKeyResponse(String id, String name, String prefix, String key, List<String> scopes,
    Instant createdAt, Instant expiresAt) {
}
