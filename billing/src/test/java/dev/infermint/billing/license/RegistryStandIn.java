package dev.infermint.billing.license;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * Answers the model registry's two internal calls a licensed download makes, as the registry does (service token
 * required): {@code GET /internal/models/resolve?tenant=&model=} for the catalog model {@code licensed-affine} (a
 * real ONNX file with a tokenizer) and {@code GET /internal/blobs/{hex}} for its bytes. The real registry is
 * exercised with billing in the end-to-end tests.
 */
public class RegistryStandIn implements QuarkusTestResourceLifecycleManager {

  /** The model's ONNX bytes. */
  static final byte[] ONNX = OnnxModelBuilder.affine(new float[] {2, 3}, new float[] {1, 1});
  /** The model's tokenizer.json bytes. */
  static final byte[] TOKENIZER = "{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\"}}"
      .getBytes(StandardCharsets.UTF_8);
  private static final Map<String, byte[]> BLOBS = new ConcurrentHashMap<>();

  private HttpServer server;

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Map<String, String> start() {
    BLOBS.put(sha256(ONNX), ONNX);
    BLOBS.put(sha256(TOKENIZER), TOKENIZER);
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/internal/", this::handle);
    server.start();
    return Map.of("infermint.model-registry.url", "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String query = String.valueOf(ex.getRequestURI().getQuery());
    if (TestTokens.whyNotAServiceToken(ex.getRequestHeaders().getFirst("Authorization")) != null) {
      reply(ex, 401, "application/problem+json", "{\"code\":\"unauthenticated\"}".getBytes(StandardCharsets.UTF_8));
    } else if (path.equals("/internal/models/resolve") && query.contains("model=licensed-affine")) {
      reply(ex, 200, "application/json", ("{\"name\":\"licensed-affine\",\"version\":2,\"owner\":\"public\","
          + "\"task\":\"generic\",\"digest\":\"sha256:" + sha256(ONNX) + "\",\"tokenizerDigest\":\"sha256:"
          + sha256(TOKENIZER) + "\"}").getBytes(StandardCharsets.UTF_8));
    } else if (path.startsWith("/internal/blobs/") && BLOBS.containsKey(path.substring("/internal/blobs/".length()))) {
      reply(ex, 200, "application/octet-stream", BLOBS.get(path.substring("/internal/blobs/".length())));
    } else {
      reply(ex, 404, "application/problem+json", "{\"code\":\"not_found\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
