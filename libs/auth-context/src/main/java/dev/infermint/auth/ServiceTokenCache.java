package dev.infermint.auth;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Verifies a service token once, not on every call. The gateway calls a worker with the same Keycloak token for
 * minutes, and quarkus-oidc verified it on each call (JSON parsing, base64, an RSA signature: a quarter of a worker's
 * Java time under load, docs/benchmarks.md). This mechanism runs before quarkus-oidc's: a bearer token it has seen
 * verified, byte for byte the same, answers with the identity quarkus-oidc made for it until the token's {@code exp};
 * anything else (a new, expired, altered or user token) passes on to quarkus-oidc, whose verified identities
 * {@link Recorder} keeps.
 *
 * <p>Only identities with the realm role {@link Roles#SERVICE} are kept: a person's token is verified on every call,
 * as before, so nothing about users changes. What is skipped is only what depends on the token alone (signature,
 * issuer, expiry, roles); the asserted caller is read from each request's headers ({@link CallerResolver}). At most
 * {@link #MAX_ENTRIES} tokens are kept; the expired go first, and past that everything (the next calls verify
 * again). A service that verifies tokens with quarkus-oidc turns it on at build time with
 * {@code infermint.auth.service-token-cache=true} (the gateway, which checks API keys, has no bearer-token provider).
 *
 * <p>Written by hand, about 40 lines: neither quarkus-oidc (its token cache holds introspection and UserInfo results,
 * not locally verified JWTs) nor Quarkus Security caches a verified bearer token.
 */
@Singleton
@Unremovable
@IfBuildProperty(name = ServiceTokenCache.ENABLED, stringValue = "true")
public class ServiceTokenCache implements HttpAuthenticationMechanism {

  /** The build-time property that turns the cache on. */
  public static final String ENABLED = "infermint.auth.service-token-cache";

  /** Tokens kept at most; the platform's services hold a handful. */
  static final int MAX_ENTRIES = 1024;

  private static final Uni<SecurityIdentity> PASS = Uni.createFrom().nullItem();
  private static final String ROUTING_CONTEXT = RoutingContext.class.getName();

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder kept = new LongAdder();

  private record Entry(SecurityIdentity identity, long expiresAtMillis) {
  }

  @Override
  public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
    String token = bearer(context.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      return PASS;
    }
    Entry entry = entries.get(token);
    if (entry == null) {
      return PASS;
    }
    if (System.currentTimeMillis() >= entry.expiresAtMillis) {
      entries.remove(token, entry);
      return PASS;
    }
    hits.increment();
    // quarkus-oidc's identity carries its request's routing context; this request's replaces it.
    return Uni.createFrom().item(QuarkusSecurityIdentity.builder(entry.identity)
        .addAttribute(ROUTING_CONTEXT, context).build());
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    // quarkus-oidc's challenge (401 with WWW-Authenticate: Bearer) stands.
    return Uni.createFrom().nullItem();
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }

  @Override
  public int getPriority() {
    // quarkus-oidc's bearer mechanism has DEFAULT_PRIORITY + 1.
    return DEFAULT_PRIORITY + 1000;
  }

  /**
   * Keeps a verified service token's identity until the token expires.
   *
   * @param identity an identity quarkus-oidc verified, fully augmented
   */
  void keep(SecurityIdentity identity) {
    if (identity.isAnonymous() || !identity.getRoles().contains(Roles.SERVICE)
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return;
    }
    TokenCredential credential = identity.getCredential(TokenCredential.class);
    long expiresAtMillis = jwt.getExpirationTime() * 1000L;
    if (credential == null || credential.getToken() == null || expiresAtMillis <= System.currentTimeMillis()) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      long now = System.currentTimeMillis();
      entries.values().removeIf(e -> e.expiresAtMillis <= now);
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(credential.getToken(), new Entry(QuarkusSecurityIdentity.builder(identity)
        .addAttribute(ROUTING_CONTEXT, null).build(), expiresAtMillis));
    kept.increment();
  }

  /** @return calls answered from a kept identity, without verifying their token */
  public long hits() {
    return hits.sum();
  }

  /** @return service tokens verified and kept */
  public long kept() {
    return kept.sum();
  }

  static String bearer(String authorization) {
    if (authorization == null || authorization.length() <= 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** Hands quarkus-oidc's verified identities to the cache; runs after every other augmentor. */
  @Singleton
  @Unremovable
  @IfBuildProperty(name = ServiceTokenCache.ENABLED, stringValue = "true")
  public static class Recorder implements SecurityIdentityAugmentor {

    @Inject
    ServiceTokenCache cache;

    @Override
    public int priority() {
      return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
      cache.keep(identity);
      return Uni.createFrom().item(identity);
    }
  }
}
