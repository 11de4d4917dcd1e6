package dev.infermint.auth;

import java.util.Set;

import dev.infermint.problem.Problems;

/**
 * Who is calling, resolved once per request by {@link CallerResolver}: from a Keycloak token verified by
 * quarkus-oidc, or from the identity the gateway asserts after checking an API key. Inject it
 * ({@code @Inject Caller caller}): it is a request-scoped bean, so singletons such as JAX-RS resources see the
 * current request's caller. (A class, not a record, because request-scoped beans need a client proxy.)
 */
public class Caller {

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

  private final Kind kind;
  private final String subject;
  private final String tenantId;
  private final Set<String> roles;

  /** For the container's client proxy only. */
  protected Caller() {
    this(Kind.ANONYMOUS, null, null, Set.of());
  }

  /**
   * @param kind how the caller authenticated
   * @param subject the user id (token {@code sub}) or the API key id
   * @param tenantId the caller's tenant (the Keycloak organization id), null for platform staff without one
   * @param roles {@link Roles} held by the caller
   */
  public Caller(Kind kind, String subject, String tenantId, Set<String> roles) {
    this.kind = kind;
    this.subject = subject;
    this.tenantId = tenantId;
    this.roles = roles == null ? Set.of() : Set.copyOf(roles);
  }

  /** @return how the caller authenticated */
  public Kind kind() {
    return kind;
  }

  /** @return the user id or API key id */
  public String subject() {
    return subject;
  }

  /** @return the caller's tenant id, or null */
  public String tenantId() {
    return tenantId;
  }

  /** @return the caller's roles */
  public Set<String> roles() {
    return roles;
  }

  @Override
  public String toString() {
    return "Caller[" + kind + ", " + subject + ", tenant " + tenantId + ", " + roles + "]";
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
