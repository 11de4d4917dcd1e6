package dev.infermint.gateway.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.gateway.auth.ApiKeyAuthenticator;
import dev.infermint.testsupport.TestTokens;

/**
 * Answers as the services behind the gateway do (tenants' key lookup, billing's plans and usage, the worker), on one
 * local port, and records what reached it. The real services are exercised together in the e2e module; this
 * stand-in lets the gateway's own behaviour be tested alone.
 */
public class UpstreamStandIn implements QuarkusTestResourceLifecycleManager {

  /** A request as the stand-in saw it. */
  public record Seen(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
  /** Live keys by SHA-256; tests remove one to revoke it. */
  static final Map<String, String> KEYS = new ConcurrentHashMap<>();

  private HttpServer server;

  static void suspend(String key) {
    String hash = ApiKeyAuthenticator.sha256Hex(key);
    KEYS.computeIfPresent(hash, (h, json) -> json.replace("\"active\"", "\"suspended\""));
  }

  static void resetKeys() {
    KEYS.clear();
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_good"), key("k1", "tenant-1", "tiny", "[\"inference\"]", "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_other"), key("k2", "tenant-2", "tiny", "[\"inference\"]", "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_admin"), key("k3", "tenant-1", "tiny", "[\"admin\"]", "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_revokeme"),
        key("k4", "tenant-3", "tiny", "[\"inference\"]", "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_suspendme"),
        key("k6", "tenant-6", "tiny", "[\"inference\"]", "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_suspended"),
        key("k5", "tenant-4", "tiny", "[\"inference\"]", "suspended"));
  }

  private static String key(String id, String tenant, String plan, String scopes, String status) {
    return "{\"keyId\":\"" + id + "\",\"tenantId\":\"" + tenant + "\",\"tenantSlug\":\"" + tenant
        + "\",\"tenantStatus\":\"" + status + "\",\"plan\":\"" + plan + "\",\"scopes\":" + scopes
        + ",\"expiresAt\":null}";
  }

  @Override
  public Map<String, String> start() {
    resetKeys();
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    return Map.of("infermint.gateway.tenants-url", url, "infermint.gateway.registry-url", url,
        "infermint.gateway.worker-url", url, "infermint.gateway.billing-url", url);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    SEEN.add(new Seen(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body));
    if (path.startsWith("/internal/")
        && TestTokens.whyNotAServiceToken(ex.getRequestHeaders().getFirst("Authorization")) != null) {
      // As the real services do: internal endpoints answer services only.
      reply(ex, 401, "{\"code\":\"unauthenticated\"}");
    } else if (path.startsWith("/internal/api-keys/")) {
      String found = KEYS.get(path.substring("/internal/api-keys/".length()));
      reply(ex, found == null ? 404 : 200, found == null ? "{}" : found);
    } else if (path.equals("/api/v1/plans")) {
      reply(ex, 200, "[{\"id\":\"tiny\",\"name\":\"Tiny\",\"priceMonthly\":0,\"currency\":\"usd\","
          + "\"limits\":{\"requestsPerMinute\":3,\"requestsPerMonth\":1000}}]");
    } else if (path.equals("/internal/api-keys/last-used")) {
      reply(ex, 204, "");
    } else if (path.equals("/internal/usage")) {
      reply(ex, 201, "{}");
    } else if (path.endsWith("/infer")) {
      ex.getResponseHeaders().add("X-Infermint-Units", "2");
      ex.getResponseHeaders().add("X-Infermint-Compute-Ms", "7");
      ex.getResponseHeaders().add("X-Infermint-Model", "m");
      reply(ex, 200, "{\"model_name\":\"m\",\"outputs\":[]}");
    } else {
      reply(ex, 200, "{\"path\":\"" + path + "\"}");
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
