package dev.infermint.gateway.auth;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the tenants service tells about a live API key ({@code GET /internal/api-keys/{sha256}}).
 *
 * @param keyId the key's id
 * @param tenantId the owning tenant
 * @param tenantSlug the owning tenant's slug
 * @param tenantStatus {@code active} or another state that refuses calls
 * @param plan the tenant's plan id
 * @param scopes {@code inference} and/or {@code admin}
 * @param expiresAt when the key stops working, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiKeyInfo(String keyId, String tenantId, String tenantSlug, String tenantStatus, String plan,
    List<String> scopes, Instant expiresAt) {

  /** Scope that calls the public inference API. */
  public static final String SCOPE_INFERENCE = "inference";
  /** Scope that acts as tenant-admin of the key's tenant on the management API. */
  public static final String SCOPE_ADMIN = "admin";

  /** @return whether the key carries the scope */
  public boolean hasScope(String scope) {
    return scopes != null && scopes.contains(scope);
  }

  /** @return whether the key has expired at the given instant */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
