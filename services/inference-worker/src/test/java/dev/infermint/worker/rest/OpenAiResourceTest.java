package dev.infermint.worker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import dev.infermint.testsupport.TestTokens;
import dev.infermint.worker.AsGateway;
import dev.infermint.worker.LocalRegistryResource;

/** The OpenAI-compatible endpoints with the real all-MiniLM-L6-v2 model and tokenizer. */
@QuarkusTest
class OpenAiResourceTest {

  private static final Logger LOG = Logger.getLogger(OpenAiResourceTest.class);
  private static final String A = LocalRegistryResource.TENANT_A;
  private static final String B = LocalRegistryResource.TENANT_B;
  private static final String MINILM = LocalRegistryResource.MINILM;
  private static final String MATRYOSHKA = "matryoshka";
  private static final String PROBLEM = "application/problem+json";

  private static ValidatableResponse embed(String tenant, Map<String, Object> body) {
    return AsGateway.tenant(tenant).body(body).post("/v1/embeddings").then().log().ifValidationFails();
  }

  /** The units billed for embedding the input, checked against the usage the body reports. */
  private static long units(Object input) {
    ExtractableResponse<Response> r = embed(A, request(input)).statusCode(200)
        .header("X-Infermint-Model", MINILM)
        .header("X-Infermint-Model-Version", "1")
        .extract();
    long units = Long.parseLong(r.header("X-Infermint-Units"));
    assertEquals(units, r.jsonPath().getLong("usage.prompt_tokens"));
    return units;
  }

  private static Map<String, Object> request(Object input, Object... more) {
    Map<String, Object> body = new HashMap<>();
    body.put("model", MINILM);
    body.put("input", input);
    for (int i = 0; i < more.length; i += 2) {
      body.put((String) more[i], more[i + 1]);
    }
    return body;
  }

  private static float[] vector(List<Number> values) {
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i).floatValue();
    }
    return v;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void modelsListsTheTenantsOwnAndThePublicCatalog() {
    AsGateway.tenant(A).get("/v1/models").then().log().ifValidationFails()
        .statusCode(200)
        .body("object", equalTo("list"))
        .body("data.id", hasItems("affine", "types", MINILM))
        .body("data.object", everyItem(equalTo("model")))
        .body("data.find { it.id == 'affine' }.owned_by", equalTo(A))
        .body("data.find { it.id == '" + MINILM + "' }.owned_by", equalTo("public"))
        .body("data.find { it.id == '" + MINILM + "' }.created", equalTo(1735787045));
    AsGateway.tenant(B).get("/v1/models").then()
        .statusCode(200)
        .body("data.id", hasItem(MINILM))
        .body("data.id", not(hasItem("affine")));
  }

  @Test
  void embeddingsCaptureMeaning() {
    List<String> texts = List.of("a cat sits on the mat", "a kitten is on the rug", "stock prices fell");
    long start = System.nanoTime();
    ExtractableResponse<Response> response = embed(B, request(texts))
        .statusCode(200)
        .header("X-Infermint-Compute-Ms", matchesPattern("\\d+"))
        .body("object", equalTo("list"))
        .body("model", equalTo(MINILM))
        .body("data", hasSize(3))
        .body("data.object", everyItem(equalTo("embedding")))
        .body("data.index", contains(0, 1, 2))
        .extract();
    LOG.infof("Embedding 3 sentences took %d ms end to end", (System.nanoTime() - start) / 1_000_000);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      float[] v = vector(response.jsonPath().getList("data[" + i + "].embedding"));
      assertEquals(384, v.length);
      assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-4, "unit norm");
      vectors.add(v);
    }
    double kitten = dot(vectors.get(0), vectors.get(1));
    double stocks = dot(vectors.get(0), vectors.get(2));
    assertTrue(kitten > stocks + 0.2, "cos(cat, kitten)=" + kitten + " cos(cat, stocks)=" + stocks);

    int tokens = response.jsonPath().getInt("usage.prompt_tokens");
    assertEquals(tokens, response.jsonPath().getInt("usage.total_tokens"));
    // [CLS] + words + [SEP] for each sentence; every word here is one word piece.
    assertEquals(8 + 8 + 5, tokens);
    assertEquals(String.valueOf(tokens), response.header("X-Infermint-Units"));
  }

  @Test
  void anEmbeddingAndItsUnitsDoNotDependOnWhatItIsBatchedWith() throws Exception {
    String cat = "a cat sits on the mat";
    List<List<String>> bodies = List.of(List.of(cat), List.of(cat, "the quarterly report shows that revenue grew"
        + " faster than expected in every region except the north"), List.of("short", cat));
    List<float[]> alone = new ArrayList<>();
    List<Long> aloneUnits = new ArrayList<>();
    for (List<String> body : bodies) {
      ExtractableResponse<Response> r = embed(A, request(body)).statusCode(200).extract();
      alone.add(vector(r.jsonPath().getList("data[" + body.indexOf(cat) + "].embedding")));
      aloneUnits.add(Long.parseLong(r.header("X-Infermint-Units")));
    }
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int k = 0; k < 18; k++) {
        int which = k % bodies.size();
        String tenant = k % 2 == 0 ? A : B;
        calls.add(clients.submit(() -> {
          List<String> body = bodies.get(which);
          ExtractableResponse<Response> r = embed(tenant, request(body)).statusCode(200).extract();
          assertEquals(String.valueOf(aloneUnits.get(which)), r.header("X-Infermint-Units"));
          float[] v = vector(r.jsonPath().getList("data[" + body.indexOf(cat) + "].embedding"));
          assertTrue(dot(v, alone.get(which)) > 0.9999, "the same sentence embeds the same in any batch");
          return null;
        }));
      }
      for (Future<?> f : calls) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void oneSentenceTimedForTheLog() {
    embed(A, request("a cat sits on the mat")).statusCode(200);
    long start = System.nanoTime();
    String ms = embed(A, request("a dog sleeps by the door")).statusCode(200).extract()
        .header("X-Infermint-Compute-Ms");
    LOG.infof("One MiniLM sentence: %s ms of compute, %d ms end to end (warm); test JVM %s", ms,
        (System.nanoTime() - start) / 1_000_000, residentMemory());
  }

  private static String residentMemory() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
          .findFirst().orElse("VmRSS unknown");
    } catch (IOException | RuntimeException e) {
      return "VmRSS unknown";
    }
  }

  @Test
  void base64CarriesTheSameFloats() {
    List<Number> floats = embed(A, request("a cat sits on the mat")).statusCode(200).extract().jsonPath()
        .getList("data[0].embedding");
    String encoded = embed(A, request("a cat sits on the mat", "encoding_format", "base64")).statusCode(200)
        .extract().jsonPath().getString("data[0].embedding");
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(384 * 4, bytes.remaining());
    for (int i = 0; i < 384; i++) {
      assertEquals(floats.get(i).floatValue(), bytes.getFloat(), 1e-6, "component " + i);
    }
  }

  private static float[] firstEmbedding(String model, Object input, Object... more) {
    Map<String, Object> body = request(input, more);
    body.put("model", model);
    return vector(embed(A, body).statusCode(200).extract().jsonPath().getList("data[0].embedding"));
  }

  @Test
  void dimensionsCutsAModelTrainedForItAndRenormalises() {
    // matryoshka declares infermint.matryoshka_dimensions "16,8,4" in its ONNX metadata.
    float[] full = firstEmbedding(MATRYOSHKA, "a cat sits on the mat");
    assertEquals(LocalRegistryResource.MATRYOSHKA_WIDTH, full.length);
    assertEquals(1.0, Math.sqrt(dot(full, full)), 1e-4);
    for (int n : new int[] {8, 4}) {
      float[] cut = firstEmbedding(MATRYOSHKA, "a cat sits on the mat", "dimensions", n);
      assertEquals(n, cut.length);
      assertEquals(1.0, Math.sqrt(dot(cut, cut)), 1e-4, "unit norm after the cut");
      float[] head = new float[n];
      System.arraycopy(full, 0, head, 0, n);
      double scale = Math.sqrt(dot(head, head));
      for (int i = 0; i < n; i++) {
        assertEquals(head[i] / scale, cut[i], 1e-5, "component " + i + " of " + n);
      }
    }
    float[] same = firstEmbedding(MATRYOSHKA, "a cat sits on the mat", "dimensions", 16);
    assertEquals(1.0, dot(same, full), 1e-5, "its full width is the uncut embedding");
  }

  @Test
  void dimensionsIsRefusedUnlessTheModelSupportsIt() {
    embed(A, request("a cat sits on the mat", "dimensions", 64))
        .statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("field", equalTo("dimensions"))
        .body("detail", containsString("model '" + MINILM + "' does not support 'dimensions'"))
        .body("detail", containsString("384 dimensions only"))
        .header("X-Infermint-Units", nullValue());
    // Its own width is no cut, and is allowed (clients that always send dimensions still work).
    assertEquals(384, firstEmbedding(MINILM, "a cat sits on the mat", "dimensions", 384).length);

    Map<String, Object> between = request("a cat", "dimensions", 6);
    between.put("model", MATRYOSHKA);
    embed(A, between).statusCode(400).contentType(PROBLEM)
        .body("field", equalTo("dimensions"))
        .body("detail", equalTo("dimensions: model '" + MATRYOSHKA + "' supports dimensions 16, 8, 4, not 6"));

    embed(A, Map.of("model", "misdeclared", "input", "a cat"))
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("unsupported_model"))
        .body("detail", containsString("infermint.matryoshka_dimensions '8,half'"));
  }

  @Test
  void badDimensionsAreNamed() {
    for (Object dimensions : List.of(0, -3, "ten", 1.5, 385)) {
      embed(A, request("hello", "dimensions", dimensions))
          .statusCode(400).contentType(PROBLEM)
          .body("code", equalTo("invalid_input"))
          .body("field", equalTo("dimensions"));
    }
  }

  /** Words that are one word piece each in the MiniLM (BERT uncased) vocabulary. */
  private static String words(int count, String... vocabulary) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : " ").append(vocabulary[i % vocabulary.length]);
    }
    return text.toString();
  }

  private static final String[] NATURE = {"cat", "dog", "house", "tree", "river", "blue", "green", "red", "small",
      "big", "water", "stone", "bird"};
  private static final String[] MARKET = {"stock", "price", "market", "bank", "money", "sold", "fell", "rose"};

  @Test
  void inputsLongerThanTheModelAreTruncatedToItsFirstTokens() {
    // MiniLM declares no length: 512 tokens, its position embeddings ([CLS] + 510 word pieces + [SEP]); the 128
    // of its tokenizer.json (the saving session's setting) does not cut it shorter.
    String head = words(510, NATURE);
    String longer = head + " " + words(300, MARKET);
    ExtractableResponse<Response> r = embed(A, request(List.of(longer, head))).statusCode(200).extract();
    assertEquals(512 + 512, r.jsonPath().getLong("usage.prompt_tokens"), "512 tokens per input after truncation");
    assertEquals(r.jsonPath().getLong("usage.prompt_tokens"), r.jsonPath().getLong("usage.total_tokens"));
    assertEquals("1024", r.header("X-Infermint-Units"));
    float[] cut = vector(r.jsonPath().getList("data[0].embedding"));
    float[] first512 = vector(r.jsonPath().getList("data[1].embedding"));
    assertEquals(1.0, dot(cut, first512), 1e-5, "the long input embeds as its first 512 tokens");
    assertEquals(512, units(longer));

    // matryoshka declares infermint.max_sequence_length 32: its limit, not MiniLM's, applies to it.
    String shortHead = words(30, NATURE);
    Map<String, Object> body = request(List.of(shortHead + " " + words(40, MARKET), shortHead));
    body.put("model", MATRYOSHKA);
    ExtractableResponse<Response> t = embed(A, body).statusCode(200).extract();
    assertEquals(2 * LocalRegistryResource.MATRYOSHKA_MAX_TOKENS, t.jsonPath().getLong("usage.prompt_tokens"));
    assertEquals(1.0, dot(vector(t.jsonPath().getList("data[0].embedding")),
        vector(t.jsonPath().getList("data[1].embedding"))), 1e-5, "the same first 32 tokens, the same vector");
    Map<String, Object> untruncated = request(List.of(words(20, MARKET), words(20, NATURE)));
    untruncated.put("model", MATRYOSHKA);
    ExtractableResponse<Response> u = embed(A, untruncated).statusCode(200).extract();
    assertTrue(dot(vector(u.jsonPath().getList("data[0].embedding")),
        vector(u.jsonPath().getList("data[1].embedding"))) < 0.9, "other tokens give another vector");
  }

  @Test
  void badInputIsNamed() {
    Map<Object, String> bad = new java.util.LinkedHashMap<>();
    bad.put("", "input must not be an empty string");
    bad.put(List.of(), "must not be an empty list");
    bad.put(List.of(1, 2), "input[0] must be a string (token arrays are not supported), not number");
    bad.put(List.of("ok", 3), "input[1] must be a string");
    bad.put(List.of("ok", List.of("nested")), "input[1] must be a string (token arrays are not supported), not array");
    bad.put(List.of(List.of(101, 102)), "input[0] must be a string");
    bad.put(List.of("ok", Map.of("a", 1)), "input[1] must be a string");
    bad.put(Map.of("a", 1), "must be a string or a list of strings, not object");
    bad.put(42, "must be a string or a list of strings, not number");
    bad.put(List.of("fine", ""), "input[1] must not be an empty string");
    bad.put(Collections.nCopies(2049, "x"), "has 2049 strings; at most 2048 are allowed in one request");
    bad.forEach((input, detail) -> embed(A, request(input))
        .statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("field", equalTo("input"))
        .body("detail", containsString(detail))
        .header("X-Infermint-Units", nullValue()));
    embed(A, Map.of("model", MINILM)).statusCode(400).body("field", equalTo("input"));
  }

  @Test
  void aListOf2048StringsIsEmbeddedWhole() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 2048; i++) {
      many.add(i % 2 == 0 ? "a cat" : "a dog sleeps");
    }
    ExtractableResponse<Response> r = embed(A, request(many)).statusCode(200).extract();
    assertEquals(2048, r.jsonPath().getList("data").size());
    assertEquals(2047, r.jsonPath().getInt("data[2047].index"));
    assertEquals(1024 * 4 + 1024 * 5, r.jsonPath().getLong("usage.prompt_tokens"));
    assertEquals(r.jsonPath().getLong("usage.prompt_tokens"), r.jsonPath().getLong("usage.total_tokens"));
    float[] cat = vector(r.jsonPath().getList("data[0].embedding"));
    assertEquals(1.0, dot(cat, vector(r.jsonPath().getList("data[2046].embedding"))), 1e-5);
    assertTrue(dot(cat, vector(r.jsonPath().getList("data[2047].embedding"))) < 0.99);
  }

  @Test
  void badEncodingFormatIsNamed() {
    for (Object format : List.of("hex", "Base64", "", 1)) {
      embed(A, request("hello", "encoding_format", format))
          .statusCode(400).contentType(PROBLEM)
          .body("code", equalTo("invalid_input"))
          .body("field", equalTo("encoding_format"))
          .header("X-Infermint-Units", nullValue());
    }
  }

  @Test
  void modelMustBeAnEmbeddingModel() {
    embed(A, Map.of("input", "hello")).statusCode(400).contentType(PROBLEM).body("field", equalTo("model"));
    embed(A, Map.of("model", "affine", "input", "hello"))
        .statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("field", equalTo("model"))
        .body("detail", containsString("task 'generic'"));
    embed(A, Map.of("model", "nope", "input", "hello"))
        .statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
  }

  @Test
  void anotherTenantsModelIsNotFound() {
    embed(B, Map.of("model", "affine", "input", "hello"))
        .statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
  }

  @Test
  void callsWithoutAServiceTokenAreRefused() {
    given().contentType(ContentType.JSON).body(request("hello")).post("/v1/embeddings").then()
        .statusCode(401).contentType(PROBLEM).body("code", equalTo("unauthenticated"));
    given().auth().oauth2(TestTokens.platformAdmin()).get("/v1/models").then().statusCode(403)
        .contentType(PROBLEM).body("code", equalTo("forbidden"));
  }

  @Test
  void unitsArePromptTokensOfEveryInput() {
    long shorter = units("a cat");
    long longer = units("a cat sits on the mat with a hat");
    assertEquals(2 + 2, shorter, "[CLS] a cat [SEP]");
    assertTrue(longer > shorter, "a longer input costs more: " + longer + " vs " + shorter);
    // Padding to the longest input of a batch is not billed: the sum is the inputs' own tokens.
    assertEquals(shorter + longer + shorter, units(List.of("a cat", "a cat sits on the mat with a hat", "a cat")));
    // Over several ONNX Runtime batches (32 strings each) too.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(i % 2 == 0 ? "a cat" : "a cat sits on the mat with a hat");
    }
    assertEquals(20 * shorter + 20 * longer, units(many));
  }

  @Test
  void aPassedDeadlineIsA504WithoutUnits() {
    AsGateway.tenant(A).header("X-Infermint-Deadline", Long.toString(System.currentTimeMillis() - 1))
        .body(request("hello")).post("/v1/embeddings").then().log().ifValidationFails()
        .statusCode(504).contentType(PROBLEM)
        .body("code", equalTo("deadline_exceeded"))
        .header("X-Infermint-Units", nullValue())
        .header("X-Infermint-Compute-Ms", nullValue());
    AsGateway.tenant(A).header("X-Infermint-Deadline", Long.toString(System.currentTimeMillis() + 3_600_000))
        .body(request("hello")).post("/v1/embeddings").then().log().ifValidationFails()
        .statusCode(200).header("X-Infermint-Units", "3");
    AsGateway.tenant(A).header("X-Infermint-Deadline", "in a minute")
        .body(request("hello")).post("/v1/embeddings").then().log().ifValidationFails()
        .statusCode(400).contentType(PROBLEM)
        .body("header", equalTo("X-Infermint-Deadline"))
        .header("X-Infermint-Units", nullValue());
  }

  @Test
  void failedEmbeddingsCarryNoUnits() {
    embed(A, request("hello", "dimensions", 0)).statusCode(400).header("X-Infermint-Units", nullValue());
    embed(A, Map.of("model", "nope", "input", "hello")).statusCode(404).header("X-Infermint-Units", nullValue());
  }
}
