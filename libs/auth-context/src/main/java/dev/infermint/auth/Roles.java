package dev.infermint.auth;

/** Role names, as Keycloak realm roles and as granted to API keys by scope. */
public final class Roles {

  /** Everything, on every tenant. */
  public static final String PLATFORM_ADMIN = "platform-admin";
  /** Everything on the caller's own tenant. */
  public static final String TENANT_ADMIN = "tenant-admin";
  /** Read-only in the caller's own tenant. */
  public static final String TENANT_MEMBER = "tenant-member";
  /** Calls the public inference API; the role an API key of scope {@code inference} carries. */
  public static final String INFERENCE = "inference";
  /**
   * Held only by the service account of Keycloak client {@code infermint-services}: a token with it may call
   * {@code /internal} endpoints and assert the caller it acts for ({@link InternalHeaders}).
   */
  public static final String SERVICE = "infermint-service";

  private Roles() {
  }
}
