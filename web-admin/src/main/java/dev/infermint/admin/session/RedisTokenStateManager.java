package dev.infermint.admin.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.oidc.AuthorizationCodeTokens;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TokenStateManager;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps the console's sessions on the server: the tokens of a login (ID, access and refresh token) are stored in
 * Redis under the SHA-256 of a random 256-bit session id, and the browser's session cookie holds only that id. A
 * stolen cookie store leaks no token, logging out deletes the tokens, and every console replica sharing the Redis
 * sees the same sessions.
 *
 * <p>quarkus-oidc's own {@code quarkus-oidc-redis-token-state-manager} does this, but its parent POM is not served
 * by the Maven repository here, so this is the same idea written against the {@link TokenStateManager} SPI. A token
 * refresh creates a new entry (quarkus-oidc asks for a new state); the old one expires with its TTL.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class RedisTokenStateManager implements TokenStateManager {

  private static final String PREFIX = "infermint:console:session:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ReactiveValueCommands<String, String> values;
  private final ReactiveRedisDataSource redis;
  private final Duration ttl;

  RedisTokenStateManager(ReactiveRedisDataSource redis,
      @ConfigProperty(name = "infermint.console.session-ttl", defaultValue = "10h") Duration ttl) {
    this.redis = redis;
    this.values = redis.value(String.class, String.class);
    this.ttl = ttl;
  }

  @Override
  public Uni<String> createTokenState(RoutingContext routingContext, OidcTenantConfig oidcConfig,
      AuthorizationCodeTokens tokens, OidcRequestContext<String> requestContext) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    JsonObject json = new JsonObject()
        .put("id", tokens.getIdToken())
        .put("access", tokens.getAccessToken())
        .put("refresh", tokens.getRefreshToken())
        .put("expiresIn", tokens.getAccessTokenExpiresIn())
        .put("scope", tokens.getAccessTokenScope());
    return values.setex(key(id), ttl.toSeconds(), json.encode()).replaceWith(id);
  }

  @Override
  public Uni<AuthorizationCodeTokens> getTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig,
      String tokenState, OidcRequestContext<AuthorizationCodeTokens> requestContext) {
    return values.get(key(tokenState)).onItem().transform(stored -> {
      if (stored == null) {
        // Logged out, expired or never issued: quarkus-oidc starts a new login.
        throw new AuthenticationFailedException("The console session is over");
      }
      JsonObject json = new JsonObject(stored);
      return new AuthorizationCodeTokens(json.getString("id"), json.getString("access"), json.getString("refresh"),
          json.getLong("expiresIn"), json.getString("scope"));
    });
  }

  @Override
  public Uni<Void> deleteTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig, String tokenState,
      OidcRequestContext<Void> requestContext) {
    return redis.key(String.class).del(key(tokenState)).replaceWithVoid();
  }

  private static String key(String sessionId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
