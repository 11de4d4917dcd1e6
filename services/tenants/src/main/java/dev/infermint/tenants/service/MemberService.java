package dev.infermint.tenants.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.TenantRole;
import dev.infermint.tenants.client.KeycloakMemberClient;
import dev.infermint.tenants.client.KeycloakUser;
import dev.infermint.tenants.rest.AddMemberRequest;
import dev.infermint.tenants.rest.ChangeRoleRequest;
import dev.infermint.tenants.rest.MemberResponse;

/**
 * The members of a tenant. Keycloak is the only store: a member is a user in the tenant's organization, and its
 * role is the realm role {@code tenant-admin} or {@code tenant-member} ({@link TenantRole}). Both reach the user's
 * tokens (claim {@code organization}, {@code realm_access.roles}) from the next token Keycloak issues.
 *
 * <p>A user belongs to at most one tenant: the realm roles are realm-wide, so a user in two organizations would hold
 * its role in both. Adding a member of another tenant is 409.
 *
 * <p>Keycloak has no transactions, so each change undoes its own earlier steps when a later one fails (a user it
 * created is deleted again, a membership it added is removed); the audit event is written after Keycloak accepted
 * the change.
 */
@ApplicationScoped
public class MemberService {

  /** Status of a member who has not chosen a password yet. */
  public static final String INVITED = "invited";
  /** Status of a member who can log in. */
  public static final String ACTIVE = "active";

  private static final Logger LOG = Logger.getLogger(MemberService.class);
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");
  private static final int MAX_EMAIL_LENGTH = 254;

  @Inject
  KeycloakMemberClient keycloak;

  @Inject
  TenantService tenants;

  @Inject
  AuditService audit;

  /**
   * Adds a user to a tenant with a role, inviting (creating) the user when Keycloak has nobody with that e-mail.
   *
   * @param tenantId the tenant, whose access the caller has checked
   * @param request {@code {email, role}}, validated here
   * @param actor who adds
   * @return the member
   * @throws ProblemException 400 without a body; 422 naming {@code email} or {@code role}; 404 when the tenant does
   *     not exist; 409 when the user already is a member of this or another tenant, or the tenant is deleted; 503
   *     when Keycloak cannot be used
   */
  public MemberResponse add(String tenantId, AddMemberRequest request, Actor actor) {
    if (request == null) {
      throw Problems.malformed("Request body is required: {\"email\", \"role\"}");
    }
    String email = parseEmail(request.email());
    TenantRole role = parseRole(request.role());
    tenants.requireWritable(tenantId, actor);

    Optional<KeycloakUser> existing = keycloak.findByEmail(email);
    Optional<String> createdId = existing.isPresent() ? Optional.empty() : keycloak.createInvited(email);
    KeycloakUser user = existing
        .or(() -> createdId.map(id -> new KeycloakUser(id, email, true)))
        // Keycloak has a user with that username or e-mail after all: created concurrently, or a user whose username
        // is this address while its e-mail is another one.
        .or(() -> keycloak.findByEmail(email))
        .orElseThrow(() -> Problems.conflict("Keycloak has a user named '" + email + "' with another e-mail "
            + "address; add that user by its e-mail address"));
    List<Runnable> undo = new ArrayList<>();
    if (createdId.isPresent()) {
      undo.add(() -> keycloak.deleteUser(user.id()));
    }
    try {
      List<String> organizations = keycloak.organizationsOf(user.id());
      if (organizations.contains(tenantId)) {
        throw Problems.conflict("'" + email + "' already is a member of this tenant; change the role with PUT "
            + "/api/v1/tenants/" + tenantId + "/members/" + user.id());
      }
      if (!organizations.isEmpty()) {
        throw otherTenant(email);
      }
      if (!keycloak.addMember(tenantId, user.id())) {
        throw Problems.conflict("'" + email + "' already is a member of this tenant");
      }
      undo.add(0, () -> keycloak.removeMember(tenantId, user.id()));
      // Two tenants adding the same person at once both pass the check above; the later one sees two
      // organizations now and backs out.
      if (keycloak.organizationsOf(user.id()).size() > 1) {
        throw otherTenant(email);
      }
      RoleChange change = RoleChange.to(role, keycloak.realmRoles(user.id()));
      apply(user.id(), change);
      undo.add(0, () -> apply(user.id(), change.inverse()));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("email", email);
      details.put("role", role.wireName());
      details.put("invited", createdId.isPresent());
      QuarkusTransaction.requiringNew().run(
          () -> audit.record(actor, tenantId, AuditAction.MEMBER_ADDED, user.id(), details));
    } catch (RuntimeException e) {
      undo(undo, email, tenantId);
      throw e;
    }
    return new MemberResponse(user.id(), email, role.wireName(), status(user));
  }

  /**
   * @param tenantId the tenant, whose access the caller has checked
   * @param actor who asks
   * @return the members with their roles; none for a deleted tenant (its organization is gone)
   * @throws ProblemException 404 when the tenant does not exist (or is deleted, for callers other than platform
   *     staff); 503 when Keycloak cannot be used
   */
  public List<MemberResponse> list(String tenantId, Actor actor) {
    if (tenants.requireReadable(tenantId, actor)) {
      return List.of();
    }
    return keycloak.members(tenantId).stream()
        .map(user -> toResponse(user, TenantRole.of(keycloak.realmRoles(user.id())).orElse(null)))
        .toList();
  }

  /**
   * Gives a member another role.
   *
   * @param tenantId the tenant, whose access the caller has checked
   * @param userId the member's user id
   * @param request {@code {role}}, validated here
   * @param actor who changes it
   * @return the member with its new role
   * @throws ProblemException 400 without a body; 422 naming {@code role}; 404 when the tenant does not exist or the
   *     user is not its member; 409 when the tenant is deleted; 503 when Keycloak cannot be used
   */
  public MemberResponse changeRole(String tenantId, String userId, ChangeRoleRequest request, Actor actor) {
    if (request == null) {
      throw Problems.malformed("Request body is required: {\"role\"}");
    }
    TenantRole role = parseRole(request.role());
    tenants.requireWritable(tenantId, actor);
    KeycloakUser user = member(tenantId, userId);
    Set<String> held = keycloak.realmRoles(user.id());
    RoleChange change = RoleChange.to(role, held);
    if (!change.isEmpty()) {
      apply(user.id(), change);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("from", TenantRole.of(held).map(TenantRole::wireName).orElse(null));
      details.put("to", role.wireName());
      try {
        QuarkusTransaction.requiringNew().run(
            () -> audit.record(actor, tenantId, AuditAction.MEMBER_ROLE_CHANGED, user.id(), details));
      } catch (RuntimeException e) {
        undo(List.of(() -> apply(user.id(), change.inverse())), user.email(), tenantId);
        throw e;
      }
    }
    return toResponse(user, role);
  }

  /**
   * Removes a member from a tenant: out of the organization, tenant roles taken away. The Keycloak user stays.
   *
   * @param tenantId the tenant, whose access the caller has checked
   * @param userId the member's user id
   * @param actor who removes it
   * @throws ProblemException 404 when the tenant does not exist or the user is not its member; 409 when the tenant
   *     is deleted; 503 when Keycloak cannot be used
   */
  public void remove(String tenantId, String userId, Actor actor) {
    tenants.requireWritable(tenantId, actor);
    KeycloakUser user = member(tenantId, userId);
    Set<String> held = keycloak.realmRoles(user.id());
    keycloak.removeMember(tenantId, user.id());
    apply(user.id(), RoleChange.none(held));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("email", user.email());
    details.put("role", TenantRole.of(held).map(TenantRole::wireName).orElse(null));
    QuarkusTransaction.requiringNew().run(
        () -> audit.record(actor, tenantId, AuditAction.MEMBER_REMOVED, user.id(), details));
  }

  /**
   * Takes the tenant roles away from every member of a tenant that is being deleted; the organization (and with it
   * the memberships) is deleted next.
   *
   * @param tenantId the tenant
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  public void detachAll(String tenantId) {
    for (KeycloakUser user : keycloak.members(tenantId)) {
      apply(user.id(), RoleChange.none(keycloak.realmRoles(user.id())));
    }
  }

  private void apply(String userId, RoleChange change) {
    if (!change.isEmpty()) {
      keycloak.changeRealmRoles(userId, change.grant(), change.revoke());
    }
  }

  private KeycloakUser member(String tenantId, String userId) {
    return keycloak.member(tenantId, userId).orElseThrow(() -> Problems.notFound("member", userId));
  }

  private void undo(List<Runnable> steps, String email, String tenantId) {
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException e) {
        // Nothing else can be done here; named so that an operator can put it right in Keycloak.
        LOG.errorf(e, "Could not undo a step of changing member '%s' of tenant %s", email, tenantId);
      }
    }
  }

  private static ProblemException otherTenant(String email) {
    return Problems.conflict("'" + email + "' is a member of another tenant; a user belongs to one tenant at most");
  }

  private static String parseEmail(String value) {
    String email = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (email.isEmpty()) {
      throw Problems.validation("email", "is required");
    }
    if (email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
      throw Problems.validation("email", "must be an e-mail address such as ada@example.com");
    }
    return email;
  }

  private static TenantRole parseRole(String value) {
    return TenantRole.fromWireName(value)
        .orElseThrow(() -> Problems.validation("role", "must be tenant-admin or tenant-member"));
  }

  private static String status(KeycloakUser user) {
    return user.invitationPending() ? INVITED : ACTIVE;
  }

  /**
   * The realm-role mappings that give a user a tenant role, or none, from the roles it holds: the one place where
   * "one tenant role at most" is decided.
   *
   * @param grant realm roles to grant
   * @param revoke realm roles to take away
   */
  record RoleChange(Set<String> grant, Set<String> revoke) {

    /** @return the change that leaves the user with {@code role} as its only tenant role */
    static RoleChange to(TenantRole role, Set<String> held) {
      Set<String> grant = held.contains(role.wireName()) ? Set.of() : Set.of(role.wireName());
      Set<String> revoke = role.others().stream().filter(held::contains).collect(Collectors.toUnmodifiableSet());
      return new RoleChange(grant, revoke);
    }

    /** @return the change that leaves the user without any tenant role */
    static RoleChange none(Set<String> held) {
      return new RoleChange(Set.of(),
          TenantRole.allWireNames().stream().filter(held::contains).collect(Collectors.toUnmodifiableSet()));
    }

    /** @return the change that undoes this one */
    RoleChange inverse() {
      return new RoleChange(revoke, grant);
    }

    boolean isEmpty() {
      return grant.isEmpty() && revoke.isEmpty();
    }
  }

  private static MemberResponse toResponse(KeycloakUser user, TenantRole role) {
    return new MemberResponse(user.id(), user.email(), role == null ? null : role.wireName(), status(user));
  }
}
