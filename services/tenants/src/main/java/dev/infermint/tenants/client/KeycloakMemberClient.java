package dev.infermint.tenants.client;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.MemberRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import dev.infermint.problem.ProblemException;
import dev.infermint.tenants.config.TenantsConfig;

/**
 * Users, organization membership and realm roles in Keycloak, through the admin API as the service account of
 * client {@code infermint-services}: the members of a tenant are the members of its organization, and their role is
 * a realm role. Keycloak is the only place this is stored.
 *
 * <p>As in {@link KeycloakOrganizationClient}: reads have a 5 s {@link Timeout} and are retried twice; writes have
 * 10 s and are never retried (creating a user twice, or adding a membership whose answer was lost, must be decided
 * by the caller). Keycloak not reachable, too slow, refusing the credentials or failing is 503 {@code unavailable}.
 */
@ApplicationScoped
public class KeycloakMemberClient {

  /** The required action that makes a new user choose a password on first login: the open invitation. */
  public static final String UPDATE_PASSWORD = "UPDATE_PASSWORD";

  private static final int PAGE = 100;

  private final Keycloak keycloak;
  private final String realm;

  /**
   * @param keycloak the admin client configured under {@code quarkus.keycloak.admin-client.*}
   * @param config where the users live
   */
  @Inject
  public KeycloakMemberClient(Keycloak keycloak, TenantsConfig config) {
    this(keycloak, config.realm());
  }

  KeycloakMemberClient(Keycloak keycloak, String realm) {
    this.keycloak = keycloak;
    this.realm = realm;
  }

  /**
   * @param email an e-mail address, lower case
   * @return the user with exactly that e-mail address, if any
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
  @Fallback(fallbackMethod = "findByEmailUnavailable", skipOn = ProblemException.class)
  public Optional<KeycloakUser> findByEmail(String email) {
    try {
      return realm().users().searchByEmail(email, true).stream()
          .filter(u -> email.equalsIgnoreCase(u.getEmail()))
          .findFirst().map(KeycloakMemberClient::toUser);
    } catch (WebApplicationException e) {
      throw KeycloakFailures.unexpected("search users", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * Creates an invited user: username and e-mail are the address, enabled, e-mail not verified, and required action
   * {@value #UPDATE_PASSWORD} so that the first login sets a password. No e-mail is sent.
   *
   * @param email the address, lower case
   * @return the new user's id, or empty when Keycloak already has a user with that username or e-mail
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "createUnavailable", skipOn = ProblemException.class)
  public Optional<String> createInvited(String email) {
    UserRepresentation user = new UserRepresentation();
    user.setUsername(email);
    user.setEmail(email);
    user.setEnabled(true);
    user.setEmailVerified(false);
    user.setRequiredActions(List.of(UPDATE_PASSWORD));
    try (Response response = realm().users().create(user)) {
      int status = response.getStatus();
      if (status == 409) {
        return Optional.empty();
      }
      String location = response.getLocation() == null ? null : response.getLocation().getPath();
      if (status != 201 || location == null || location.endsWith("/")) {
        throw KeycloakFailures.unexpected("create user", status);
      }
      return Optional.of(location.substring(location.lastIndexOf('/') + 1));
    } catch (WebApplicationException e) {
      throw KeycloakFailures.unexpected("create user", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * Deletes a user; one that is already gone counts as deleted. Only used to undo {@link #createInvited}.
   *
   * @param userId the user id
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "deleteUserUnavailable", skipOn = ProblemException.class)
  public void deleteUser(String userId) {
    try (Response response = realm().users().delete(userId)) {
      int status = response.getStatus();
      if (status != 204 && status != 404) {
        throw KeycloakFailures.unexpected("delete user", status);
      }
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404) {
        // Already gone.
        return;
      }
      throw KeycloakFailures.unexpected("delete user", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * @param userId the user id
   * @return the ids of the organizations the user is a member of
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
  @Fallback(fallbackMethod = "organizationsOfUnavailable", skipOn = ProblemException.class)
  public List<String> organizationsOf(String userId) {
    try {
      return realm().organizations().members().getOrganizations(userId, true).stream()
          .map(OrganizationRepresentation::getId).toList();
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404) {
        return List.of();
      }
      throw KeycloakFailures.unexpected("read a user's organizations", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * Makes a user a member of an organization.
   *
   * @param organizationId the organization (tenant) id
   * @param userId the user id
   * @return true when the membership was added, false when the user already was a member
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "addMemberUnavailable", skipOn = ProblemException.class)
  public boolean addMember(String organizationId, String userId) {
    try (Response response = realm().organizations().get(organizationId).members().addMember(userId)) {
      int status = response.getStatus();
      if (status == 409) {
        return false;
      }
      if (status != 201) {
        throw KeycloakFailures.unexpected("add an organization member", status);
      }
      return true;
    } catch (WebApplicationException e) {
      throw KeycloakFailures.unexpected("add an organization member", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * Ends a user's membership of an organization; the user itself stays. A user who is not a member counts as
   * removed.
   *
   * @param organizationId the organization (tenant) id
   * @param userId the user id
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "removeMemberUnavailable", skipOn = ProblemException.class)
  public void removeMember(String organizationId, String userId) {
    try (Response response = realm().organizations().get(organizationId).members().member(userId).delete()) {
      int status = response.getStatus();
      if (status != 204 && status != 404 && status != 400) {
        throw KeycloakFailures.unexpected("remove an organization member", status);
      }
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404) {
        // Not (or no longer) a member.
        return;
      }
      throw KeycloakFailures.unexpected("remove an organization member", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * @param organizationId the organization (tenant) id
   * @param userId the user id
   * @return the user when it is a member of that organization
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
  @Fallback(fallbackMethod = "memberUnavailable", skipOn = ProblemException.class)
  public Optional<KeycloakUser> member(String organizationId, String userId) {
    try {
      return Optional.of(toUser(realm().organizations().get(organizationId).members().member(userId)
          .toRepresentation()));
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404 || e.getResponse().getStatus() == 400) {
        return Optional.empty();
      }
      throw KeycloakFailures.unexpected("read an organization member", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * @param organizationId the organization (tenant) id
   * @return every member of the organization (read in pages of 100), none when the organization does not exist
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
  @Fallback(fallbackMethod = "membersUnavailable", skipOn = ProblemException.class)
  public List<KeycloakUser> members(String organizationId) {
    try {
      List<KeycloakUser> members = new ArrayList<>();
      for (int first = 0; ; first += PAGE) {
        List<MemberRepresentation> page = realm().organizations().get(organizationId).members().list(first, PAGE);
        page.stream().map(KeycloakMemberClient::toUser).forEach(members::add);
        if (page.size() < PAGE) {
          return members;
        }
      }
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404) {
        return List.of();
      }
      throw KeycloakFailures.unexpected("list organization members", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * @param userId the user id
   * @return the realm roles granted to the user directly (not through groups or composites)
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
  @Fallback(fallbackMethod = "realmRolesUnavailable", skipOn = ProblemException.class)
  public Set<String> realmRoles(String userId) {
    try {
      return realm().users().get(userId).roles().realmLevel().listAll().stream()
          .map(RoleRepresentation::getName).collect(Collectors.toUnmodifiableSet());
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404) {
        return Set.of();
      }
      throw KeycloakFailures.unexpected("read a user's roles", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * Grants and takes away realm roles of a user. Granting a role the user has, or taking away one it lacks, changes
   * nothing.
   *
   * @param userId the user id
   * @param grant names of realm roles to grant
   * @param revoke names of realm roles to take away
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "changeRealmRolesUnavailable", skipOn = ProblemException.class)
  public void changeRealmRoles(String userId, Set<String> grant, Set<String> revoke) {
    try {
      var mappings = realm().users().get(userId).roles().realmLevel();
      if (!revoke.isEmpty()) {
        mappings.remove(roles(revoke));
      }
      if (!grant.isEmpty()) {
        mappings.add(roles(grant));
      }
    } catch (WebApplicationException e) {
      throw KeycloakFailures.unexpected("change a user's roles", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  Optional<KeycloakUser> findByEmailUnavailable(String email) {
    throw KeycloakFailures.failed("search users");
  }

  Optional<String> createUnavailable(String email) {
    throw KeycloakFailures.failed("create user");
  }

  void deleteUserUnavailable(String userId) {
    throw KeycloakFailures.failed("delete user");
  }

  List<String> organizationsOfUnavailable(String userId) {
    throw KeycloakFailures.failed("read a user's organizations");
  }

  boolean addMemberUnavailable(String organizationId, String userId) {
    throw KeycloakFailures.failed("add an organization member");
  }

  void removeMemberUnavailable(String organizationId, String userId) {
    throw KeycloakFailures.failed("remove an organization member");
  }

  Optional<KeycloakUser> memberUnavailable(String organizationId, String userId) {
    throw KeycloakFailures.failed("read an organization member");
  }

  List<KeycloakUser> membersUnavailable(String organizationId) {
    throw KeycloakFailures.failed("list organization members");
  }

  Set<String> realmRolesUnavailable(String userId) {
    throw KeycloakFailures.failed("read a user's roles");
  }

  void changeRealmRolesUnavailable(String userId, Set<String> grant, Set<String> revoke) {
    throw KeycloakFailures.failed("change a user's roles");
  }

  private List<RoleRepresentation> roles(Set<String> names) {
    return names.stream().map(name -> realm().roles().get(name).toRepresentation()).toList();
  }

  private RealmResource realm() {
    return keycloak.realm(realm);
  }

  private static KeycloakUser toUser(UserRepresentation user) {
    String email = user.getEmail() == null ? user.getUsername() : user.getEmail();
    boolean pending = user.getRequiredActions() != null && user.getRequiredActions().contains(UPDATE_PASSWORD);
    return new KeycloakUser(user.getId(), email, pending);
  }
}
