package dev.infermint.tenants.client;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/**
 * How the Keycloak clients of this package turn admin-API failures into problems: every failure that is Keycloak's
 * (not reachable, too slow, refusing the service credentials, 5xx) is 503 {@code unavailable}, logged once here.
 */
final class KeycloakFailures {

  private static final Logger LOG = Logger.getLogger(KeycloakFailures.class);

  private KeycloakFailures() {
  }

  /** Keycloak could not be reached, or the admin client's own token request failed. */
  static ProblemException unreachable(ProcessingException e) {
    // The token request of the admin client fails the same way: the cause says which (connect, 401 on login...).
    Throwable cause = e.getCause() == null ? e : e.getCause();
    if (cause instanceof WebApplicationException wae) {
      return unexpected("log in as infermint-services", wae.getResponse().getStatus());
    }
    LOG.warnf("Keycloak is not reachable: %s", cause.toString());
    return Problems.unavailable("Keycloak is not reachable; try again later");
  }

  /** Keycloak answered a status the caller did not expect. */
  static ProblemException unexpected(String action, int status) {
    if (status == 401 || status == 403) {
      LOG.errorf("Keycloak refused the infermint-services credentials (%s answered %d); check "
          + "INFERMINT_SERVICES_CLIENT_SECRET", action, status);
    } else {
      LOG.errorf("Keycloak failed to %s: HTTP %d", action, status);
    }
    return Problems.unavailable("Keycloak could not " + action + " (HTTP " + status + "); try again later");
  }

  /** Reached through {@code @Fallback}: the call timed out or failed in a way the method did not translate. */
  static ProblemException failed(String action) {
    LOG.warnf("Keycloak did not %s (timed out or failed)", action);
    return Problems.unavailable("Keycloak did not " + action + " in time; try again later");
  }
}
