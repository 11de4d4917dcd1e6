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
  /** What the two worker replicas do with an inference call; tests switch it and reset it. */
  enum WorkerMode { NORMAL, SLOW, OVERLOADED }

  static volatile WorkerMode workerMode = WorkerMode.NORMAL;
  /** Which replica (0 or 1) answered each inference call, in order. */
  static final List<Integer> SERVED_BY = new CopyOnWriteArrayList<>();
  private static final HttpServer[] WORKERS = new HttpServer[2];
  private static final int[] WORKER_PORTS = new int[2];
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
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_monthly"), key("k7", "tenant-7", "monthly", "[\"inference\"]",
        "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_overage"), key("k8", "tenant-8", "overage", "[\"inference\"]",
        "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_planchange"), key("k10", "tenant-10", "monthly",
        "[\"inference\"]", "active"));
    KEYS.put(ApiKeyAuthenticator.sha256Hex("imk_roomy"), key("k9", "tenant-9", "roomy",
        "[\"inference\",\"admin\"]", "active"));
  }

  /**
   * Gives a tenant's keys another plan, as a plan change in the tenants service would.
   *
   * @param tenant the tenant
   * @param plan the new plan
   */
  static void changePlan(String tenant, String plan) {
    KEYS.replaceAll((h, json) -> json.contains("\"tenantId\":\"" + tenant + "\"")
        ? json.replaceAll("\"plan\":\"[a-z]+\"", "\"plan\":\"" + plan + "\"") : json);
  }

  private static final boolean[] STOPPED = new boolean[2];

  /** Stops worker replica {@code i}, as a killed worker: its port refuses connections. */
  static synchronized void stopWorker(int i) {
    WORKERS[i].stop(0);
    STOPPED[i] = true;
  }

  /** Starts every stopped worker replica again on its port. */
  static synchronized void restartStoppedWorkers() {
    for (int i = 0; i < 2; i++) {
      if (STOPPED[i]) {
        WORKERS[i] = worker(i, WORKER_PORTS[i]);
        STOPPED[i] = false;
      }
    }
  }

  private static HttpServer worker(int i, int port) {
    try {
      HttpServer w = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      w.setExecutor(Executors.newFixedThreadPool(8));
      w.createContext("/", ex -> handleWorker(i, ex));
      w.start();
      return w;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void handleWorker(int i, HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    SEEN.add(new Seen(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body));
    if (TestTokens.whyNotAServiceToken(ex.getRequestHeaders().getFirst("Authorization")) != null) {
      reply(ex, 401, "{\"code\":\"unauthenticated\"}");
      return;
    }
    if (path.equals("/q/openapi")) {
      reply(ex, 200, "{\"openapi\":\"3.1.0\",\"paths\":{\"/v1/embeddings\":{\"post\":{\"summary\":\"emb\"}},"
          + "\"/v2/models/{model}/infer\":{\"post\":{\"summary\":\"infer\"}},"
          + "\"/v2/repository/index\":{\"get\":{}}},\"components\":{\"schemas\":{\"InferRequest\":"
          + "{\"type\":\"object\"}}}}");
      return;
    }
    if (path.endsWith("/infer") || path.equals("/v1/embeddings")) {
      SERVED_BY.add(i);
      switch (workerMode) {
        case SLOW -> {
          try {
            Thread.sleep(12_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        case OVERLOADED -> {
          ex.getResponseHeaders().add("Retry-After", "2");
          ex.getResponseHeaders().add("Content-Type", "application/problem+json");
          byte[] bytes = "{\"status\":503,\"code\":\"overloaded\"}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(503, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
          return;
        }
        default -> {
        }
      }
      ex.getResponseHeaders().add("X-Infermint-Units", "2");
      ex.getResponseHeaders().add("X-Infermint-Compute-Ms", "7");
      ex.getResponseHeaders().add("X-Infermint-Model", "m");
      ex.getResponseHeaders().add("X-Infermint-Model-Version", "3");
      reply(ex, 200, "{\"model_name\":\"m\",\"outputs\":[],\"replica\":" + i + "}");
    } else if (path.equals("/q/health/ready")) {
      reply(ex, 200, "{\"status\":\"UP\"}");
    } else {
      reply(ex, 200, "{\"path\":\"" + path + "\"}");
    }
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
    for (int i = 0; i < 2; i++) {
      WORKERS[i] = worker(i, 0);
      WORKER_PORTS[i] = WORKERS[i].getAddress().getPort();
    }
    return Map.of("infermint.gateway.tenants-url", url, "infermint.gateway.registry-url", url,
        "infermint.gateway.worker-urls", "http://127.0.0.1:" + WORKER_PORTS[0] + ",http://127.0.0.1:" + WORKER_PORTS[1],
        "infermint.gateway.billing-url", url);
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
      reply(ex, 200, "[" + plan("tiny", 3, 1000, "block") + "," + plan("monthly", 100, 2, "block") + ","
          + plan("overage", 100, 2, "bill") + "," + plan("roomy", 1000, 100000, "block") + "]");
    } else if (path.startsWith("/api/v1/tenants/") && path.split("/").length == 5) {
      // GET /api/v1/tenants/{id} as the tenants service answers it: only the caller's own tenant exists for it.
      String id = path.substring("/api/v1/tenants/".length());
      String asserted = ex.getRequestHeaders().getFirst("X-Infermint-Tenant-Id");
      String plan = KEYS.values().stream().filter(k -> k.contains("\"tenantId\":\"" + id + "\"")).findFirst()
          .map(k -> k.replaceAll(".*\"plan\":\"([a-z]+)\".*", "$1")).orElse(null);
      if (id.equals(asserted) && plan != null) {
        reply(ex, 200, "{\"id\":\"" + id + "\",\"plan\":\"" + plan + "\",\"status\":\"active\"}");
      } else {
        ex.getResponseHeaders().add("Content-Type", "application/problem+json");
        byte[] bytes = "{\"status\":404,\"code\":\"not_found\"}".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(404, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
      }
    } else if (path.equals("/q/openapi")) {
      // Tenants, registry and billing share this stand-in: one document with a public, an internal path and a
      // schema whose name clashes with the gateway's own.
      reply(ex, 200, "{\"openapi\":\"3.1.0\",\"paths\":{\"/api/v1/tenants\":{\"get\":{\"responses\":{\"200\":"
          + "{\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Problem\"}}}}}}},"
          + "\"/internal/api-keys/{hash}\":{\"get\":{}}},\"components\":{\"schemas\":{\"Problem\":"
          + "{\"type\":\"string\"}}}}");
    } else if (path.equals("/internal/api-keys/last-used")) {
      reply(ex, 204, "");
    } else {
      reply(ex, 200, "{\"path\":\"" + path + "\"}");
    }
  }

  private static String plan(String id, long perMinute, long perMonth, String overage) {
    return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"priceMonthly\":0,\"currency\":\"usd\","
        + "\"limits\":{\"requestsPerMinute\":" + perMinute + ",\"requestsPerMonth\":" + perMonth + "},"
        + "\"overage\":\"" + overage + "\",\"overagePer1000\":0.5}";
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
    for (HttpServer w : WORKERS) {
      if (w != null) {
        w.stop(0);
      }
    }
  }
}
