package dev.infermint.tenants;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.infermint.auth.Roles;

/**
 * The role a member has in its tenant, held in Keycloak as the realm role of the same name. Together with the
 * membership of the tenant's organization (the token's {@code organization} claim) it decides what the member may do
 * there; see {@code docs/roles.md}. This is the one place that maps between roles and their names.
 */
public enum TenantRole {
  /** Everything in its tenant: keys, members, audit log. */
  TENANT_ADMIN(Roles.TENANT_ADMIN),
  /** Reads its tenant. */
  TENANT_MEMBER(Roles.TENANT_MEMBER);

  private final String wireName;

  TenantRole(String wireName) {
    this.wireName = wireName;
  }

  /** @return the role as written in the API and as the Keycloak realm role, e.g. {@code tenant-admin} */
  public String wireName() {
    return wireName;
  }

  /** @return the realm role names of the other tenant roles, which a member with this role must not hold */
  public Set<String> others() {
    return Arrays.stream(values()).filter(r -> r != this).map(TenantRole::wireName).collect(Collectors.toSet());
  }

  /** @return the realm role names of every tenant role */
  public static Set<String> allWireNames() {
    return Arrays.stream(values()).map(TenantRole::wireName).collect(Collectors.toSet());
  }

  /**
   * Reads a role from its wire name.
   *
   * @param value the wire name, e.g. {@code tenant-member}; may be null
   * @return the role, or empty when the value names no tenant role
   */
  public static Optional<TenantRole> fromWireName(String value) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(value)).findFirst();
  }

  /**
   * The tenant role of a user from its realm roles; admin wins should a user hold both.
   *
   * @param realmRoles the user's realm role names
   * @return the role, or empty when the user holds neither
   */
  public static Optional<TenantRole> of(Set<String> realmRoles) {
    return Arrays.stream(values()).filter(r -> realmRoles.contains(r.wireName)).findFirst();
  }
}
