package dev.infermint.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/**
 * Turns an {@code imk_} API key into the tenant and scopes it stands for. Only the key's SHA-256 leaves the
 * gateway; answers are cached for {@code infermint.gateway.key-cache-ttl} (2 s), so a revoked key stops working
 * within that time even without the push channel ({@link TenancyEventListener}), which forgets revoked keys and
 * changed tenants at once. A failed lookup (tenants down) is not cached.
 */
@Singleton
public class ApiKeyAuthenticator {

  /** Prefix of every Infermint API key. */
  public static final String KEY_PREFIX = "imk_";

  private final InternalHttp http;
  private final GatewayConfig config;
  private final ObjectMapper json;
  private final AsyncCache<String, Optional<ApiKeyInfo>> cache;
  private final KeyLastUsed lastUsed;

  @Inject
  public ApiKeyAuthenticator(InternalHttp http, GatewayConfig config, ObjectMapper json, KeyLastUsed lastUsed) {
    this.lastUsed = lastUsed;
    this.http = http;
    this.config = config;
    this.json = json;
    this.cache = Caffeine.newBuilder().expireAfterWrite(config.keyCacheTtl()).maximumSize(100_000).buildAsync();
  }

  /**
   * Checks a presented key.
   *
   * @param key the full {@code imk_...} secret
   * @param requestId the request id, for the lookup
   * @return the key's info; fails with a 401 problem when unknown, revoked or expired, 403 when the tenant is not
   *     active, 503 when the tenants service cannot answer
   */
  public Future<ApiKeyInfo> authenticate(String key, String requestId) {
    String hash = sha256Hex(key);
    CompletableFuture<Optional<ApiKeyInfo>> lookup = cache.getIfPresent(hash);
    if (lookup == null) {
      // Claimed with putIfAbsent, fetched outside any lock: Caffeine's get(key, loader) runs the loader under the
      // key's lock, and another event loop asking for the same key then blocked on it (seen by EventLoopTest).
      CompletableFuture<Optional<ApiKeyInfo>> mine = new CompletableFuture<>();
      lookup = cache.asMap().putIfAbsent(hash, mine);
      if (lookup == null) {
        lookup = mine;
        fetch(hash, requestId).whenComplete((found, e) -> {
          if (e != null) {
            mine.completeExceptionally(e);
          } else {
            mine.complete(found);
          }
        });
      }
    }
    return Future.fromCompletionStage(lookup).compose(found -> {
      if (found.isEmpty() || found.get().expiredAt(Instant.now())) {
        return Future.failedFuture(Problems.unauthenticated("The API key is not valid (unknown, revoked or expired)"));
      }
      ApiKeyInfo info = found.get();
      lastUsed.touch(info.keyId());
      if (!"active".equals(info.tenantStatus())) {
        return Future.failedFuture(Problems.of(403, "tenant_suspended", "Tenant suspended",
            "The tenant of this API key is " + info.tenantStatus()));
      }
      return Future.succeededFuture(info);
    });
  }

  /**
   * Forgets one key at once (it was revoked).
   *
   * @param keyHash the key's SHA-256 hex
   */
  public void invalidateKey(String keyHash) {
    cache.synchronous().invalidate(keyHash.toLowerCase());
  }

  /**
   * Forgets every key of a tenant at once (it was suspended, deleted, or changed plan).
   *
   * @param tenantId the tenant
   */
  public void invalidateTenant(String tenantId) {
    cache.synchronous().asMap().entrySet().removeIf(e -> e.getValue().map(i -> tenantId.equals(i.tenantId()))
        .orElse(false));
  }

  /** Forgets everything, e.g. after the push channel was down and events may have been missed. */
  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  private CompletableFuture<Optional<ApiKeyInfo>> fetch(String hash, String requestId) {
    return http.call(HttpMethod.GET, config.tenantsUrl(), "/internal/api-keys/" + hash, requestId, null)
        .<Optional<ApiKeyInfo>>compose(reply -> {
          if (reply.status() == 404) {
            return Future.succeededFuture(Optional.empty());
          }
          if (reply.status() != 200) {
            return Future.failedFuture(Problems.unavailable("The tenants service answered " + reply.status()
                + " while checking the API key"));
          }
          try {
            return Future.succeededFuture(Optional.of(json.readValue(reply.body().getBytes(), ApiKeyInfo.class)));
          } catch (java.io.IOException e) {
            return Future.failedFuture(Problems.upstream("The tenants service answered an unreadable key record"));
          }
        })
        .recover(e -> Future.failedFuture(e instanceof ProblemException ? e
            : Problems.unavailable("The tenants service cannot be reached to check the API key")))
        .toCompletionStage().toCompletableFuture();
  }

  /**
   * @param key a secret
   * @return its SHA-256 as lower-case hex, as the tenants service stores it
   */
  public static String sha256Hex(String key) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HEX.formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** One digest per thread: {@code MessageDigest.getInstance} on every call shows in the hot path's profile. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  });
  private static final HexFormat HEX = HexFormat.of();
}
