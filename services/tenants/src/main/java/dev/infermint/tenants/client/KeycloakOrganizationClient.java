package dev.infermint.tenants.client;

import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.OrganizationsResource;
import org.keycloak.representations.idm.OrganizationRepresentation;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.config.TenantsConfig;

/**
 * Creates, reads and deletes the Keycloak organizations behind tenants, through the Keycloak admin API as the
 * service account of client {@code infermint-services}.
 *
 * <p>Failures come out as problems: an alias or name Keycloak already has is 409 {@code conflict}; Keycloak not
 * reachable, too slow (over the {@link Timeout}), refusing the service credentials or failing itself is 503
 * {@code unavailable}. Only {@link #find} is retried, as it is the only call that is safe to repeat; creating is
 * never retried because a lost answer could leave a second organization behind.
 */
@ApplicationScoped
public class KeycloakOrganizationClient {

  private final Keycloak keycloak;
  private final String realm;

  /**
   * @param keycloak the admin client configured under {@code quarkus.keycloak.admin-client.*}
   * @param config where the organizations live
   */
  @Inject
  public KeycloakOrganizationClient(Keycloak keycloak, TenantsConfig config) {
    this(keycloak, config.realm());
  }

  KeycloakOrganizationClient(Keycloak keycloak, String realm) {
    this.keycloak = keycloak;
    this.realm = realm;
  }

  /**
   * Creates an enabled organization.
   *
   * @param name the display name
   * @param alias the alias (the tenant slug)
   * @return the id Keycloak assigned to it
   * @throws ProblemException 409 when Keycloak already has an organization with that name or alias, 503 when
   *     Keycloak cannot be used
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "createUnavailable", skipOn = ProblemException.class)
  public String create(String name, String alias) {
    OrganizationRepresentation org = new OrganizationRepresentation();
    org.setName(name);
    org.setAlias(alias);
    org.setEnabled(true);
    try (Response response = organizations().create(org)) {
      int status = response.getStatus();
      if (status == 409) {
        throw Problems.conflict("An organization named '" + name + "' or with alias '" + alias
            + "' already exists in Keycloak");
      }
      if (status != 201) {
        throw KeycloakFailures.unexpected("create organization", status);
      }
      String location = response.getLocation() == null ? null : response.getLocation().getPath();
      if (location == null || location.endsWith("/")) {
        throw KeycloakFailures.unexpected("create organization (no Location header)", status);
      }
      return location.substring(location.lastIndexOf('/') + 1);
    } catch (WebApplicationException e) {
      throw KeycloakFailures.unexpected("create organization", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * Reads an organization.
   *
   * @param id the organization id (tenant id)
   * @return the organization, or empty when Keycloak has none with that id
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
  @Fallback(fallbackMethod = "findUnavailable", skipOn = ProblemException.class)
  public Optional<Organization> find(String id) {
    try {
      OrganizationRepresentation org = organizations().get(id).toRepresentation();
      return Optional.of(new Organization(org.getId(), org.getName(), org.getAlias()));
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404) {
        return Optional.empty();
      }
      throw KeycloakFailures.unexpected("read organization", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  /**
   * Deletes an organization; one that is already gone counts as deleted.
   *
   * @param id the organization id (tenant id)
   * @throws ProblemException 503 when Keycloak cannot be used
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Fallback(fallbackMethod = "deleteUnavailable", skipOn = ProblemException.class)
  public void delete(String id) {
    try (Response response = organizations().get(id).delete()) {
      int status = response.getStatus();
      if (status != 204 && status != 404) {
        throw KeycloakFailures.unexpected("delete organization", status);
      }
    } catch (WebApplicationException e) {
      // The Quarkus REST client reports a 404 as a plain ClientWebApplicationException, not NotFoundException.
      if (e.getResponse().getStatus() == 404) {
        // Already gone: nothing left to undo.
        return;
      }
      throw KeycloakFailures.unexpected("delete organization", e.getResponse().getStatus());
    } catch (ProcessingException e) {
      throw KeycloakFailures.unreachable(e);
    }
  }

  String createUnavailable(String name, String alias) {
    throw KeycloakFailures.failed("create organization");
  }

  Optional<Organization> findUnavailable(String id) {
    throw KeycloakFailures.failed("read organization");
  }

  void deleteUnavailable(String id) {
    throw KeycloakFailures.failed("delete organization");
  }

  private OrganizationsResource organizations() {
    return keycloak.realm(realm).organizations();
  }
}
