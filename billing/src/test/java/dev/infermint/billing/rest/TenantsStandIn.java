package dev.infermint.billing.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.testsupport.TestTokens;

/**
 * The tenants service's internal API as billing calls it, over a small table of tenants ({@code t-known}, on
 * {@code pro}, is always there; tests add their own with {@link #add}):
 * {@code GET /internal/tenants/{id}} ({@code {id, slug, name, plan, status}}, 404 for an unknown id),
 * {@code GET /internal/tenants?after=&limit=} (a page by id, {@code {tenants, next}}) and
 * {@code PUT /internal/tenants/{id}/plan} (stores the plan). Without a service token it answers 401, as the real
 * service does. Each call is recorded in {@link #CALLS}: "method path|service-token (or why the credentials are not
 * one)|request id|body". The real service is exercised with billing in the end-to-end test.
 */
public class TenantsStandIn implements QuarkusTestResourceLifecycleManager {

  /** Every call received, oldest first. */
  public static final List<String> CALLS = new CopyOnWriteArrayList<>();

  private static final Map<String, Map<String, String>> TENANTS = new ConcurrentSkipListMap<>();
  private static final Pattern ONE = Pattern.compile("^/internal/tenants/([^/]+)$");
  private static final Pattern PLAN = Pattern.compile("^/internal/tenants/([^/]+)/plan$");
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    add("t-known", "known", "Known", "pro");
  }

  private HttpServer server;

  /**
   * Adds (or replaces) an active tenant.
   *
   * @param id tenant id
   * @param slug its slug
   * @param name its name
   * @param plan its plan
   */
  public static void add(String id, String slug, String name, String plan) {
    Map<String, String> tenant = new LinkedHashMap<>();
    tenant.put("id", id);
    tenant.put("slug", slug);
    tenant.put("name", name);
    tenant.put("plan", plan);
    tenant.put("status", "active");
    TENANTS.put(id, tenant);
  }

  /**
   * Adds (or replaces) an active tenant whose slug is its id.
   *
   * @param id tenant id
   * @param plan its plan
   */
  public static void add(String id, String plan) {
    add(id, id, "Tenant " + id, plan);
  }

  /**
   * @param id a tenant id
   * @return its plan now, or null when unknown
   */
  public static String plan(String id) {
    Map<String, String> tenant = TENANTS.get(id);
    return tenant == null ? null : tenant.get("plan");
  }

  /**
   * @param id a tenant id
   * @return the recorded calls that changed (or tried to change) that tenant's plan, oldest first
   */
  public static List<String> planChangeCalls(String id) {
    String prefix = "PUT /internal/tenants/" + id + "/plan|";
    return CALLS.stream().filter(c -> c.startsWith(prefix)).toList();
  }

  /**
   * @param id a tenant id
   * @return the plans that tenant was moved to, oldest first
   */
  public static List<String> planChanges(String id) {
    return planChangeCalls(id).stream().map(c -> {
      try {
        return JSON.readTree(c.substring(c.lastIndexOf('|') + 1)).path("plan").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/internal/tenants", this::handle);
    server.start();
    return Map.of("quarkus.rest-client.tenants.url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      String notAService = TestTokens.whyNotAServiceToken(ex.getRequestHeaders().getFirst("Authorization"));
      CALLS.add(method + " " + path + "|" + (notAService == null ? "service-token" : notAService)
          + "|" + ex.getRequestHeaders().getFirst("X-Request-Id") + "|" + body);
      if (notAService != null) {
        send(ex, 401, Map.of("code", "unauthenticated", "detail", notAService));
        return;
      }
      Matcher one = ONE.matcher(path);
      Matcher plan = PLAN.matcher(path);
      if (method.equals("GET") && (path.equals("/internal/tenants") || path.equals("/internal/tenants/"))) {
        send(ex, 200, page(query(ex.getRequestURI().getRawQuery())));
      } else if (method.equals("GET") && one.matches()) {
        Map<String, String> tenant = TENANTS.get(one.group(1));
        send(ex, tenant == null ? 404 : 200, tenant == null ? Map.of("code", "not_found") : tenant);
      } else if (method.equals("PUT") && plan.matches()) {
        Map<String, String> tenant = TENANTS.get(plan.group(1));
        if (tenant == null) {
          send(ex, 404, Map.of("code", "not_found"));
          return;
        }
        JsonNode change = JSON.readTree(body);
        tenant.put("plan", change.path("plan").asText());
        send(ex, 200, tenant);
      } else {
        send(ex, 404, Map.of("code", "not_found"));
      }
    }
  }

  private static Map<String, Object> page(Map<String, String> query) {
    String after = query.get("after");
    int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : 100;
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map<String, String> tenant : TENANTS.values()) {
      if (after == null || tenant.get("id").compareTo(after) > 0) {
        rows.add(Map.copyOf(tenant));
      }
    }
    boolean more = rows.size() > limit;
    List<Map<String, String>> shown = more ? rows.subList(0, limit) : rows;
    Map<String, Object> answer = new HashMap<>();
    answer.put("tenants", shown);
    answer.put("next", more ? shown.get(shown.size() - 1).get("id") : null);
    return answer;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length() - 1) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] answer = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, answer.length);
    ex.getResponseBody().write(answer);
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
