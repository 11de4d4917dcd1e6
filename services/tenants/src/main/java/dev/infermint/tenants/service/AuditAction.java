package dev.infermint.tenants.service;

/** Every management action the tenants service writes to the audit log, with its name there. */
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

  private final String wireName;

  AuditAction(String wireName) {
    this.wireName = wireName;
  }

  /** @return the action as the audit log shows it, e.g. {@code api_key.revoked} */
  public String wireName() {
    return wireName;
  }
}
