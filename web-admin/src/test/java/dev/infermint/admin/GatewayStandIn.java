package dev.infermint.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for the gateway, which does not run in this module's tests (the e2e module's {@code ConsoleIT} drives
 * the console against the real one), for the pages these tests open: answers {@code GET /api/v1/tenants} with one
 * tenant, {@code GET /api/v1/plans} with one plan, {@code GET /api/v1/tenants/{id}} for that tenant, 404 problem for
 * any other, and a bare 500 (a Java stack trace as its body) for {@link #BROKEN}; and {@code GET /last-authorization}
 * with the {@code Authorization} header of the last tenants call so that a test can check which token the console
 * propagated.
 */
public class GatewayStandIn implements QuarkusTestResourceLifecycleManager {

  /** The tenant the stand-in lists. */
  public static final String TENANTS = """
      [{"id":"7f1c2d9e-0000-4000-8000-000000000001","slug":"acme","name":"Acme Corp","plan":"pro",\
      "status":"ACTIVE"}]""";

  /** The tenant whose page makes the stand-in fail as a broken upstream would. */
  public static final String BROKEN = "7f1c2d9e-0000-4000-8000-0000000000ff";

  private HttpServer server;
  private volatile String lastAuthorization = "";

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/api/v1/tenants", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      lastAuthorization = auth == null ? "" : auth;
      if (auth == null || !auth.startsWith("Bearer ")) {
        answer(exchange, 401, "application/problem+json",
            "{\"status\":401,\"code\":\"unauthenticated\",\"detail\":\"no bearer token\"}");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/api/v1/tenants")) {
        answer(exchange, 200, "application/json", TENANTS);
      } else if (path.equals("/api/v1/tenants/" + BROKEN)) {
        answer(exchange, 500, "text/plain",
            "java.lang.IllegalStateException: boom\n\tat dev.infermint.gateway.Secret.method(Secret.java:42)");
      } else if (path.equals("/api/v1/tenants/7f1c2d9e-0000-4000-8000-000000000001")) {
        answer(exchange, 200, "application/json", TENANTS.substring(1, TENANTS.length() - 1));
      } else {
        answer(exchange, 404, "application/problem+json",
            "{\"status\":404,\"code\":\"not_found\",\"detail\":\"tenant not found\"}");
      }
    });
    server.createContext("/api/v1/plans", exchange -> answer(exchange, 200, "application/json", """
        [{"id":"pro","name":"Pro","requestsPerMinute":600,"requestsPerMonth":1000000,"overage":"bill"}]"""));
    server.createContext("/last-authorization", exchange -> answer(exchange, 200, "text/plain", lastAuthorization));
    server.start();
    return Map.of("quarkus.rest-client.gateway.url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
