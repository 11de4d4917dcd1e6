package dev.infermint.auth;

import java.util.Set;

import dev.infermint.problem.Problems;

/**
 * Who is calling, resolved once per request by {@link CallerResolver}: from a Keycloak token verified by
 * quarkus-oidc, or from the identity the gateway asserts after checking an API key.
 *
 * @param kind how the caller authenticated
 * @param subject the user id (token {@code sub}) or the API key id
 * @param tenantId the caller's tenant (the Keycloak organization id), null for platform staff without one
 * @param roles {@link Roles} held by the caller
 */
public record Caller(Kind kind, String subject, String tenantId, Set<String> roles) {

  /** How a caller authenticated. */
  public enum Kind {
    /** No credentials. */
    ANONYMOUS,
    /** A Keycloak access token. */
    USER,
    /** An {@code imk_} API key, checked by the gateway. */
    API_KEY,
    /** Another Infermint service holding the internal credential. */
    SERVICE
  }

  public Caller {
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }

  /** The caller of a request without credentials. */
  public static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, null, null, Set.of());

  /** @return whether any credentials were presented and verified */
  public boolean authenticated() {
    return kind != Kind.ANONYMOUS;
  }

  /** @return whether the caller may act on every tenant */
  public boolean platformAdmin() {
    return roles.contains(Roles.PLATFORM_ADMIN) || kind == Kind.SERVICE;
  }

  /** Fails with 401 unless credentials were presented. */
  public Caller requireAuthenticated() {
    if (!authenticated()) {
      throw Problems.unauthenticated("This endpoint needs a bearer token or an API key");
    }
    return this;
  }

  /** Fails with 403 unless the caller is a platform admin. */
  public Caller requirePlatformAdmin() {
    requireAuthenticated();
    if (!platformAdmin()) {
      throw Problems.forbidden("This operation needs the platform-admin role");
    }
    return this;
  }

  /**
   * Fails unless the caller may read the given tenant. Another tenant's id answers 404, as if it did not
   * exist, so that ids cannot be probed.
   *
   * @param tenantId the tenant addressed by the request
   * @return this caller
   */
  public Caller requireTenantRead(String tenantId) {
    requireAuthenticated();
    if (platformAdmin()) {
      return this;
    }
    if (tenantId == null || !tenantId.equals(this.tenantId)) {
      throw Problems.notFound("tenant", String.valueOf(tenantId));
    }
    if (!(roles.contains(Roles.TENANT_ADMIN) || roles.contains(Roles.TENANT_MEMBER))) {
      throw Problems.forbidden("This operation needs a role in the tenant");
    }
    return this;
  }

  /**
   * Fails unless the caller may change the given tenant (tenant-admin of it, or platform-admin).
   *
   * @param tenantId the tenant addressed by the request
   * @return this caller
   */
  public Caller requireTenantAdmin(String tenantId) {
    requireTenantRead(tenantId);
    if (!platformAdmin() && !roles.contains(Roles.TENANT_ADMIN)) {
      throw Problems.forbidden("This operation needs the tenant-admin role");
    }
    return this;
  }

  /**
   * The tenant that owns what this caller creates; fails with 403 when the caller has none.
   *
   * @return the caller's tenant id
   */
  public String requireOwnTenant() {
    requireAuthenticated();
    if (tenantId == null) {
      throw Problems.forbidden("The caller belongs to no tenant");
    }
    return tenantId;
  }
}
