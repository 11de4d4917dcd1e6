package dev.infermint.tenants.service;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Every management action the tenants service writes to the audit log, with its name there. Other services record
 * their own actions through {@code POST /internal/audit}; those are free strings under a prefix the sender owns
 * ({@link #FOREIGN_PREFIXES}, e.g. {@code model.version_uploaded}), never one of the names below.
 */
public enum AuditAction {
  /** A platform admin created a tenant. */
  TENANT_CREATED("tenant.created"),
  /** A platform admin suspended a tenant. */
  TENANT_SUSPENDED("tenant.suspended"),
  /** A platform admin reactivated a suspended tenant. */
  TENANT_REACTIVATED("tenant.reactivated"),
  /** A platform admin deleted a tenant. */
  TENANT_DELETED("tenant.deleted"),
  /** Billing changed a tenant's plan. */
  PLAN_CHANGED("tenant.plan_changed"),
  /** An API key was issued. */
  API_KEY_CREATED("api_key.created"),
  /** An API key was revoked. */
  API_KEY_REVOKED("api_key.revoked"),
  /** A user was added to (or invited into) the tenant. */
  MEMBER_ADDED("member.added"),
  /** A member's role changed. */
  MEMBER_ROLE_CHANGED("member.role_changed"),
  /** A member was removed from the tenant. */
  MEMBER_REMOVED("member.removed");

  /** Prefixes of the actions other services may record, each owned by one service: {@code model.} the registry. */
  public static final List<String> FOREIGN_PREFIXES = List.of("model.");

  private static final Pattern FOREIGN =
      Pattern.compile("^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]{0,54}$");

  private final String wireName;

  AuditAction(String wireName) {
    this.wireName = wireName;
  }

  /** @return the action as the audit log shows it, e.g. {@code api_key.revoked} */
  public String wireName() {
    return wireName;
  }

  /**
   * @param action an action name sent by another service
   * @return whether it may be recorded: under one of {@link #FOREIGN_PREFIXES}, lower-case words, at most 64
   *     characters
   */
  public static boolean isForeign(String action) {
    return action != null && action.length() <= 64 && FOREIGN.matcher(action).matches()
        && FOREIGN_PREFIXES.stream().anyMatch(action::startsWith);
  }
}
