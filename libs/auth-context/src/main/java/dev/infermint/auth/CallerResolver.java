package dev.infermint.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * Produces the request's {@link Caller}. A verified Keycloak token wins; otherwise headers asserted by the gateway
 * count only when they carry the internal token. The tenant of a token is its {@code organization} claim: Keycloak
 * writes it as {@code {"<alias>": {"id": "<org id>"}}} when the mapper adds ids, or as a list of aliases.
 */
@ApplicationScoped
public class CallerResolver {

  /** Token claim holding the caller's organization (tenant). */
  public static final String ORGANIZATION_CLAIM = "organization";

  @Inject
  SecurityIdentity identity;

  @Inject
  HttpServerRequest request;

  @ConfigProperty(name = "infermint.internal.token")
  Optional<String> internalToken;

  /** @return the caller of the current request */
  @Produces
  @RequestScoped
  public Caller caller() {
    if (identity != null && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
      return fromToken(jwt, identity.getRoles());
    }
    if (hasInternalToken(request.getHeader(InternalHeaders.INTERNAL_TOKEN))) {
      String kind = request.getHeader(InternalHeaders.KIND);
      if (kind != null && !kind.equals("API_KEY") && !kind.equals("SERVICE")) {
        // Only API keys (checked by the gateway) and services are asserted; anything else is refused rather than
        // silently becoming a service, which acts as platform staff.
        return Caller.ANONYMOUS;
      }
      String roles = request.getHeader(InternalHeaders.ROLES);
      Set<String> roleSet = roles == null || roles.isBlank() ? Set.of()
          : new HashSet<>(Arrays.asList(roles.split(",")));
      return new Caller("API_KEY".equals(kind) ? Caller.Kind.API_KEY : Caller.Kind.SERVICE,
          request.getHeader(InternalHeaders.SUBJECT), emptyToNull(request.getHeader(InternalHeaders.TENANT_ID)),
          roleSet);
    }
    return Caller.ANONYMOUS;
  }

  /**
   * Whether the presented value is the configured internal token, compared in constant time.
   *
   * @param presented the header value, may be null
   * @return true only when a token is configured and matches
   */
  public boolean hasInternalToken(String presented) {
    if (presented == null || internalToken.isEmpty() || internalToken.get().isBlank()) {
      return false;
    }
    return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
        internalToken.get().getBytes(StandardCharsets.UTF_8));
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
