package dev.infermint.auth;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/**
 * Produces the request's {@link Caller} from the Keycloak token that quarkus-oidc verified. A user's token gives the
 * user; a service token (realm role {@link Roles#SERVICE}, from the client-credentials grant of
 * {@code infermint-services}) gives the caller that service asserts in {@link InternalHeaders}: an API key the
 * gateway checked, or the service itself. Asserted headers without a service token are ignored. The tenant of a
 * user token is its {@code organization} claim: Keycloak writes it as {@code {"<alias>": {"id": "<org id>"}}} when
 * the mapper adds ids, or as a list of aliases.
 */
@ApplicationScoped
public class CallerResolver {

  /** Token claim holding the caller's organization (tenant). */
  public static final String ORGANIZATION_CLAIM = "organization";

  @Inject
  SecurityIdentity identity;

  @Inject
  HttpServerRequest request;

  /** @return the caller of the current request */
  @Produces
  @RequestScoped
  public Caller caller() {
    JsonWebToken jwt = verifiedToken();
    if (jwt == null) {
      return Caller.ANONYMOUS;
    }
    if (!identity.getRoles().contains(Roles.SERVICE)) {
      return fromToken(jwt, identity.getRoles());
    }
    String kind = request.getHeader(InternalHeaders.KIND);
    if (kind != null && !kind.equals("API_KEY") && !kind.equals("SERVICE")) {
      // Only API keys (checked by the gateway) and services are asserted; anything else is refused rather than
      // silently becoming a service, which acts as platform staff.
      return Caller.ANONYMOUS;
    }
    String roles = request.getHeader(InternalHeaders.ROLES);
    Set<String> roleSet = roles == null || roles.isBlank() ? Set.of()
        : new HashSet<>(Arrays.asList(roles.split(",")));
    String subject = request.getHeader(InternalHeaders.SUBJECT);
    if ("API_KEY".equals(kind)) {
      return new Caller(Caller.Kind.API_KEY, subject, emptyToNull(request.getHeader(InternalHeaders.TENANT_ID)),
          roleSet);
    }
    return new Caller(Caller.Kind.SERVICE, subject == null ? jwt.getClaim("azp") : subject,
        emptyToNull(request.getHeader(InternalHeaders.TENANT_ID)), roleSet);
  }

  /** @return whether the request carries a verified token of an Infermint service */
  public boolean serviceToken() {
    return verifiedToken() != null && identity.getRoles().contains(Roles.SERVICE);
  }

  /**
   * The refusal for a caller that is not a service: 401 when it presented no credentials, else 403.
   *
   * @param detail what is guarded
   * @return the problem to answer
   */
  public ProblemException notAService(String detail) {
    return verifiedToken() == null
        ? Problems.unauthenticated(detail + "; send a service token (client credentials of infermint-services)")
        : Problems.forbidden(detail + "; this token is not a service token");
  }

  private JsonWebToken verifiedToken() {
    if (identity != null && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
      return jwt;
    }
    return null;
  }

  static Caller fromToken(JsonWebToken jwt, Set<String> roles) {
    return new Caller(Caller.Kind.USER, jwt.getSubject(), organizationId(jwt.getClaim(ORGANIZATION_CLAIM)), roles);
  }

  /**
   * Reads the tenant id out of an {@code organization} claim.
   *
   * @param claim the claim value as the JWT library gives it (JSON object, array or string), may be null
   * @return the first organization's id, or its alias when the claim carries no ids, or null
   */
  static String organizationId(Object claim) {
    if (claim == null) {
      return null;
    }
    if (claim instanceof jakarta.json.JsonObject obj) {
      for (Map.Entry<String, jakarta.json.JsonValue> e : obj.entrySet()) {
        if (e.getValue() instanceof jakarta.json.JsonObject org && org.containsKey("id")) {
          return org.getString("id");
        }
      }
      return obj.isEmpty() ? null : obj.keySet().iterator().next();
    }
    if (claim instanceof jakarta.json.JsonArray arr) {
      // Keycloak merges the alias list and the id-carrying object: ["acme", {"acme": {"id": "..."}}]. Ids win.
      String alias = null;
      for (jakarta.json.JsonValue v : arr) {
        if (v instanceof jakarta.json.JsonObject obj) {
          String id = organizationId(obj);
          if (id != null && obj.get(id) == null) {
            return id;
          }
        } else if (v instanceof jakarta.json.JsonString str && alias == null) {
          alias = str.getString();
        }
      }
      return alias;
    }
    if (claim instanceof Iterable<?> it) {
      for (Object o : it) {
        return String.valueOf(o);
      }
      return null;
    }
    return claim.toString();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
