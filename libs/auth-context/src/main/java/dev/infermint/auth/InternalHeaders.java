package dev.infermint.auth;

/**
 * Headers by which the gateway (or another service) asserts a caller it has already authenticated. They count
 * only on a request that also carries a verified Keycloak service token (client credentials of
 * {@code infermint-services}, realm role {@link Roles#SERVICE}); the gateway strips every incoming
 * {@code X-Infermint-*} header from clients.
 */
public final class InternalHeaders {

  /** The asserted caller's tenant id. */
  public static final String TENANT_ID = "X-Infermint-Tenant-Id";
  /** The asserted caller's subject (API key id or user id). */
  public static final String SUBJECT = "X-Infermint-Subject";
  /** The asserted caller's roles, comma separated. */
  public static final String ROLES = "X-Infermint-Roles";
  /** The kind of the asserted caller: {@code API_KEY} or {@code SERVICE}. */
  public static final String KIND = "X-Infermint-Caller-Kind";
  /** Prefix of every internal header. */
  public static final String PREFIX = "X-Infermint-";

  private InternalHeaders() {
  }
}
