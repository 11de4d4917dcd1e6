package dev.infermint.registry.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.testsupport.TestTokens;

/**
 * A local HTTP server standing in for the tenants service's {@code POST /internal/audit}: it records every request
 * (its Authorization header and body) and answers with a status the test chooses (201 unless told otherwise), or 401
 * without a service token, as the real service does. One event id can be given a status of its own
 * ({@link #refuse}), as a tenants service that keeps refusing one event while it takes the others.
 */
public class TenantsStandIn implements QuarkusTestResourceLifecycleManager {

  /** One request the stand-in received. */
  public record Received(String authorization, Map<String, Object> body, int answered) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  private static volatile int status = 201;
  private static final Map<String, Integer> REFUSED = new ConcurrentHashMap<>();

  private HttpServer server;

  /** @param next the status to answer from now on */
  public static void answer(int next) {
    status = next;
  }

  /**
   * @param eventId an audit event id
   * @param answer the status to answer that event with from now on, whatever {@link #answer} says
   */
  public static void refuse(String eventId, int answer) {
    REFUSED.put(eventId, answer);
  }

  /** Answers every event alike again. */
  public static void refuseNone() {
    REFUSED.clear();
  }

  /** @return every request so far, oldest first */
  public static List<Received> received() {
    return List.copyOf(RECEIVED);
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/internal/audit", exchange -> {
      int answer = TestTokens.whyNotAServiceToken(exchange.getRequestHeaders().getFirst("Authorization")) == null
          ? status : 401;
      try (InputStream in = exchange.getRequestBody()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = JSON.readValue(in.readAllBytes(), Map.class);
        if (answer != 401) {
          answer = REFUSED.getOrDefault(String.valueOf(body.get("id")), answer);
        }
        boolean post = "POST".equals(exchange.getRequestMethod());
        RECEIVED.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"), body,
            post ? answer : 405));
        byte[] out = "{}".getBytes();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(post ? answer : 405, out.length);
        exchange.getResponseBody().write(out);
      } finally {
        exchange.close();
      }
    });
    server.start();
    return Map.of("quarkus.rest-client.tenants.url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
