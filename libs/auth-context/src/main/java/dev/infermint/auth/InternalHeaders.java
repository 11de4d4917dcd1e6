package dev.infermint.auth;

/**
 * Headers by which the gateway (or another service) asserts a caller it has already authenticated.
 * They are trusted only together with {@link #INTERNAL_TOKEN} matching {@code infermint.internal.token};
 * the gateway strips every incoming {@code X-Infermint-*} header from clients.
 */
public final class InternalHeaders {

  /** Shared secret between the services, from the environment ({@code INFERMINT_INTERNAL_TOKEN}). */
  public static final String INTERNAL_TOKEN = "X-Infermint-Internal-Token";
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
