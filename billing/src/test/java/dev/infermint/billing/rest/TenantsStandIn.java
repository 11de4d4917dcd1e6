package dev.infermint.billing.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.testsupport.TestTokens;

/**
 * Answers {@code PUT /internal/tenants/{id}/plan} as the tenants service does (tenant {@code t-known} exists, any
 * other id is 404) and records each call: "method path|service-token (or why the credentials
 * are not one)|request id|body"; without a service token it answers 401, as the real service does. The real service is
 * exercised with billing in the end-to-end test.
 */
public class TenantsStandIn implements QuarkusTestResourceLifecycleManager {

  static final List<String> CALLS = new CopyOnWriteArrayList<>();

  private HttpServer server;

  @Override
  public java.util.Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/internal/tenants/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = ex.getRequestURI().getPath();
      String notAService = TestTokens.whyNotAServiceToken(ex.getRequestHeaders().getFirst("Authorization"));
      CALLS.add(ex.getRequestMethod() + " " + path + "|" + (notAService == null ? "service-token" : notAService)
          + "|" + ex.getRequestHeaders().getFirst("X-Request-Id") + "|" + body);
      boolean known = path.equals("/internal/tenants/t-known/plan") && notAService == null;
      byte[] answer = (known ? "{\"id\":\"t-known\",\"slug\":\"known\",\"name\":\"Known\",\"plan\":\"pro\","
          + "\"status\":\"active\"}" : "{\"code\":\"not_found\"}").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(notAService != null ? 401 : known ? 200 : 404, answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    server.start();
    return java.util.Map.of("quarkus.rest-client.tenants.url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
