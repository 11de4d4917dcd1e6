package dev.infermint.worker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.testsupport.TestTokens;
import dev.infermint.worker.AsGateway;
import dev.infermint.worker.LocalRegistryResource;

/** The Open Inference Protocol endpoints against real ONNX Runtime sessions. */
@QuarkusTest
@QuarkusTestResource(value = LocalRegistryResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
class OipResourceTest {

  private static final String A = LocalRegistryResource.TENANT_A;
  private static final String PROBLEM = "application/problem+json";

  private static Map<String, Object> tensor(String name, List<Integer> shape, String datatype, Object data) {
    return Map.of("name", name, "shape", shape, "datatype", datatype, "data", data);
  }

  private static Map<String, Object> affineInput(List<Integer> shape, String datatype, Object data) {
    return Map.of("inputs", List.of(tensor("x", shape, datatype, data)));
  }

  private static ValidatableResponse infer(String tenant, String path, Object body) {
    return AsGateway.tenant(tenant).body(body).post(path).then().log().ifValidationFails();
  }

  private static ValidatableResponse infer(String deadline, String path, Object body, String requestId) {
    return AsGateway.tenant(A).header("X-Infermint-Deadline", deadline).header("X-Request-Id", requestId)
        .body(body).post(path).then().log().ifValidationFails();
  }

  /** A failed call is billed nothing: none of the metering headers. */
  private static ValidatableResponse assertUnmetered(ValidatableResponse failed) {
    return failed.contentType(PROBLEM)
        .header("X-Infermint-Units", nullValue())
        .header("X-Infermint-Compute-Ms", nullValue())
        .header("X-Infermint-Model-Version", nullValue());
  }

  private static List<Map<String, String>> registryRequests() {
    String registry = ConfigProvider.getConfig().getValue("infermint.worker.registry-url", String.class);
    return given().baseUri(registry).get("/_test/requests").then().statusCode(200).extract().jsonPath().getList("$");
  }

  private static void assertFloats(List<Number> actual, double... expected) {
    assertEquals(expected.length, actual.size(), "element count");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual.get(i).doubleValue(), 0.0, "element " + i);
    }
  }

  @Test
  void metadataDescribesTheDefaultVersion() {
    AsGateway.tenant(A).get("/v2/models/affine").then().log().ifValidationFails()
        .statusCode(200)
        .body("name", equalTo("affine"))
        .body("versions", contains("2"))
        .body("platform", equalTo("onnxruntime_onnx"))
        .body("inputs[0].name", equalTo("x"))
        .body("inputs[0].datatype", equalTo("FP32"))
        .body("inputs[0].shape", contains(-1, 3))
        .body("outputs[0].name", equalTo("y"));
  }

  @Test
  void metadataOfOneVersion() {
    AsGateway.tenant(A).get("/v2/models/affine/versions/1").then().statusCode(200).body("versions", contains("1"));
  }

  @Test
  void readyOnceTheModelIsLoaded() {
    infer(A, "/v2/models/affine/versions/1/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(200);
    AsGateway.tenant(A).get("/v2/models/affine/versions/1/ready").then().log().ifValidationFails()
        .statusCode(200).body("ready", equalTo(true)).body("version", equalTo("1"));
  }

  @Test
  void affineGivesExactNumbersForNestedAndFlatData() {
    for (Object data : List.of(List.of(List.of(1, 2, 3), List.of(4, 5, 6)), List.of(1, 2, 3, 4, 5, 6))) {
      Map<String, Object> body = Map.of("id", "req-7", "inputs", List.of(tensor("x", List.of(2, 3), "FP32", data)));
      JsonPath json = infer(A, "/v2/models/affine/versions/1/infer", body)
          .statusCode(200)
          .header("X-Infermint-Units", "2")
          .header("X-Infermint-Compute-Ms", matchesPattern("\\d+"))
          .header("X-Infermint-Model", "affine")
          .header("X-Infermint-Model-Version", "1")
          .body("model_name", equalTo("affine"))
          .body("model_version", equalTo("1"))
          .body("id", equalTo("req-7"))
          .body("outputs", hasSize(1))
          .body("outputs[0].name", equalTo("y"))
          .body("outputs[0].datatype", equalTo("FP32"))
          .body("outputs[0].shape", contains(2, 3))
          .extract().jsonPath();
      assertFloats(json.getList("outputs[0].data"), 3, 7, 13, 9, 16, 25);
    }
  }

  @Test
  void concurrentCallsThatMayShareABatchEachGetTheirOwnRows() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int k = 0; k < 24; k++) {
        int call = k;
        calls.add(clients.submit(() -> {
          int rows = call % 3 + 1;
          List<Integer> data = new ArrayList<>();
          for (int i = 0; i < rows * 3; i++) {
            data.add(call * 10 + i);
          }
          JsonPath json = infer(A, "/v2/models/affine/versions/1/infer", affineInput(List.of(rows, 3), "FP32", data))
              .statusCode(200)
              .header("X-Infermint-Units", String.valueOf(rows))
              .body("outputs[0].shape", contains(rows, 3))
              .extract().jsonPath();
          double[] expected = new double[rows * 3];
          for (int i = 0; i < expected.length; i++) {
            // affine version 1: y[j] = (j + 2) * x[j] + 1
            expected[i] = (i % 3 + 2) * (double) data.get(i) + 1;
          }
          assertFloats(json.getList("outputs[0].data"), expected);
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
  void withoutVersionTheNewestRuns() {
    JsonPath json = infer(A, "/v2/models/affine/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(200).header("X-Infermint-Model-Version", "2").body("model_version", equalTo("2"))
        .extract().jsonPath();
    assertFloats(json.getList("outputs[0].data"), 11, 22, 33);
  }

  @Test
  void everyDatatypeRoundTripsAndRequestedOutputsAreFiltered() {
    Map<String, Object> body = Map.of(
        "inputs", List.of(
            tensor("i64", List.of(2), "INT64", List.of(9_007_199_254_740_993L, -5)),
            tensor("i32", List.of(2), "INT32", List.of(2_147_483_647, -2_147_483_648)),
            tensor("f64", List.of(2), "FP64", List.of(0.1, -2.5)),
            tensor("flag", List.of(2), "BOOL", List.of(true, false)),
            tensor("text", List.of(2), "BYTES", List.of("héllo", "wörld"))),
        "outputs", List.of(Map.of("name", "text_out"), Map.of("name", "i64_out"), Map.of("name", "flag_out")));
    String raw = infer(A, "/v2/models/types/infer", body)
        .statusCode(200)
        .body("outputs.name", contains("text_out", "i64_out", "flag_out"))
        .body("outputs[0].datatype", equalTo("BYTES"))
        .body("outputs[0].data", contains("héllo", "wörld"))
        .body("outputs[1].datatype", equalTo("INT64"))
        .body("outputs[2].datatype", equalTo("BOOL"))
        .body("outputs[2].data", contains(true, false))
        .extract().asString();
    // Above 2^53, so only exact if no double conversion happened on the way.
    assertTrue(raw.contains("9007199254740993"), raw);

    JsonPath all = infer(A, "/v2/models/types/infer", Map.of("inputs", body.get("inputs")))
        .statusCode(200).body("outputs", hasSize(5)).extract().jsonPath()
        .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    assertEquals(List.of(2147483647, -2147483648), all.getList("outputs.find { it.name == 'i32_out' }.data"));
    assertFloats(all.getList("outputs.find { it.name == 'f64_out' }.data"), 0.1, -2.5);
  }

  @Test
  void unknownInputNameIsNamed() {
    infer(A, "/v2/models/affine/infer", Map.of("inputs", List.of(tensor("z", List.of(1, 3), "FP32",
        List.of(1, 2, 3)))))
        .statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("tensor", equalTo("z"))
        .body("detail", containsString("[x]"));
  }

  @Test
  void missingInputIsNamed() {
    infer(A, "/v2/models/types/infer", Map.of("inputs", List.of(tensor("i64", List.of(1), "INT64", List.of(1)))))
        .statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("tensor", equalTo("i32"))
        .body("detail", containsString("missing"));
  }

  @Test
  void wrongDatatypeIsNamed() {
    infer(A, "/v2/models/affine/infer", affineInput(List.of(1, 3), "FP64", List.of(1, 2, 3)))
        .statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("tensor", equalTo("x"))
        .body("detail", containsString("expects FP32"));
    infer(A, "/v2/models/affine/infer", affineInput(List.of(1, 3), "FLOAT7", List.of(1, 2, 3)))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("x"))
        .body("detail", containsString("FLOAT7"));
  }

  @Test
  void wrongShapeIsNamed() {
    infer(A, "/v2/models/affine/infer", affineInput(List.of(3), "FP32", List.of(1, 2, 3)))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("x")).body("detail", containsString("rank"));
    infer(A, "/v2/models/affine/infer", affineInput(List.of(2, 4), "FP32", List.of(1, 2, 3, 4, 5, 6, 7, 8)))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("x"))
        .body("detail", containsString("dimension 1"));
    infer(A, "/v2/models/affine/infer", affineInput(List.of(-1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("x"))
        .body("detail", containsString("non-negative"));
    infer(A, "/v2/models/affine/infer", affineInput(List.of(0, 3), "FP32", List.of()))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("x"))
        .body("detail", containsString("no elements"));
  }

  @Test
  void wrongElementCountIsNamed() {
    infer(A, "/v2/models/affine/infer", affineInput(List.of(2, 3), "FP32", List.of(1, 2, 3, 4, 5)))
        .statusCode(400).contentType(PROBLEM)
        .body("tensor", equalTo("x"))
        .body("detail", containsString("5 elements"));
  }

  @Test
  void wrongValuesAreNamed() {
    infer(A, "/v2/models/affine/infer", affineInput(List.of(1, 3), "FP32", List.of(1, "two", 3)))
        .statusCode(400).contentType(PROBLEM)
        .body("tensor", equalTo("x"))
        .body("detail", containsString("element 1"));
    infer(A, "/v2/models/types/infer", Map.of("inputs", List.of(
        tensor("i64", List.of(1), "INT64", List.of(1)),
        tensor("i32", List.of(1), "INT32", List.of(3_000_000_000L)),
        tensor("f64", List.of(1), "FP64", List.of(1)),
        tensor("flag", List.of(1), "BOOL", List.of(true)),
        tensor("text", List.of(1), "BYTES", List.of("a")))))
        .statusCode(400).contentType(PROBLEM)
        .body("tensor", equalTo("i32"))
        .body("detail", containsString("out of range"));
  }

  @Test
  void unknownOutputIsNamed() {
    Map<String, Object> body = Map.of("inputs", List.of(tensor("x", List.of(1, 3), "FP32", List.of(1, 2, 3))),
        "outputs", List.of(Map.of("name", "logits")));
    infer(A, "/v2/models/affine/infer", body)
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("logits")).body("detail", containsString("[y]"));
  }

  @Test
  void malformedJsonIsA400Problem() {
    AsGateway.tenant(A).body("{\"inputs\": [").post("/v2/models/affine/infer").then()
        .statusCode(400).contentType(PROBLEM).body("code", equalTo("malformed_request"));
  }

  @Test
  void unknownModelIsA404Problem() {
    AsGateway.tenant(A).get("/v2/models/no-such-model").then()
        .statusCode(404).contentType(PROBLEM)
        .body("code", equalTo("not_found"))
        .body("detail", equalTo("model 'no-such-model' was not found"));
    infer(A, "/v2/models/affine/versions/9/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(404).contentType(PROBLEM).body("detail", containsString("version '9'"));
  }

  @Test
  void anotherTenantsModelIsNotFound() {
    String b = LocalRegistryResource.TENANT_B;
    AsGateway.tenant(b).get("/v2/models/affine").then().statusCode(404).contentType(PROBLEM)
        .body("code", equalTo("not_found"));
    infer(b, "/v2/models/affine/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
    AsGateway.tenant(b).get("/v2/models/affine/ready").then().statusCode(404);
  }

  @Test
  void onnxRuntimeFailureIsA422AndTheWorkerKeepsServing() {
    // The signature says [-1, -1], the graph [N, 3]: the input passes validation and ONNX Runtime refuses it.
    infer(A, "/v2/models/mislabeled/infer", affineInput(List.of(2, 4), "FP32", List.of(1, 2, 3, 4, 5, 6, 7, 8)))
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("inference_failed"))
        .body("detail", containsString("dimensions"));
    JsonPath json = infer(A, "/v2/models/mislabeled/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(200).extract().jsonPath();
    assertFloats(json.getList("outputs[0].data"), 1, 2, 3);
  }

  @Test
  void blobThatFailsItsChecksumIsA502() {
    for (int i = 0; i < 2; i++) {
      infer(A, "/v2/models/tampered/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
          .statusCode(502).contentType(PROBLEM)
          .body("code", equalTo("upstream_failed"))
          .body("detail", containsString("other content"));
    }
  }

  @Test
  void fileOnnxRuntimeCannotLoadIsA422() {
    infer(A, "/v2/models/broken/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(422).contentType(PROBLEM).body("code", equalTo("model_load_failed"));
    AsGateway.tenant(A).get("/v2/models/broken/ready").then()
        .statusCode(400).contentType(PROBLEM).body("code", equalTo("model_not_ready"))
        .body("detail", containsString("cannot be loaded by ONNX Runtime"));
  }

  @Test
  void onlyServicesMayCallTheWorker() {
    given().get("/v2/models/affine").then().statusCode(401).contentType(PROBLEM)
        .body("code", equalTo("unauthenticated"));
    // Asserted headers without a service token count for nothing.
    given().contentType(ContentType.JSON).header("X-Infermint-Caller-Kind", "API_KEY")
        .header("X-Infermint-Tenant-Id", A)
        .body(affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .post("/v2/models/affine/infer").then().statusCode(401).contentType(PROBLEM);
    given().auth().oauth2("not-a-token").header("X-Infermint-Tenant-Id", A).get("/v2/models/affine").then()
        .statusCode(401).contentType(PROBLEM);
    // A person's token, even a platform admin's, is not the gateway's.
    given().auth().oauth2(TestTokens.platformAdmin()).header("X-Infermint-Tenant-Id", A).get("/v2/models/affine")
        .then().statusCode(403).contentType(PROBLEM).body("code", equalTo("forbidden"));
    AsService.service().get("/v2/models/affine").then()
        .statusCode(403).contentType(PROBLEM).body("detail", containsString("no tenant"));
    given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
  }

  @Test
  void registryCallsCarryTheServiceTokenAndTheRequestId() {
    AsGateway.tenant("tenant-trace").header("X-Request-Id", "trace-oip-1")
        .get("/v2/models/" + LocalRegistryResource.MINILM).then().statusCode(200);
    List<Map<String, String>> seen = registryRequests();
    assertTrue(seen.stream().anyMatch(r -> r.get("path").equals("/internal/models/resolve")
        && r.get("query").contains("tenant=tenant-trace") && r.get("requestId").equals("trace-oip-1")
        && r.get("serviceToken").equals("yes")), seen.toString());
  }

  @Test
  void miniLmReturnsItsHiddenStates() {
    // "[CLS] a cat [SEP]" in the bert-base-uncased vocabulary.
    List<Integer> shape = List.of(1, 4);
    Map<String, Object> body = Map.of("inputs", List.of(
        tensor("input_ids", shape, "INT64", List.of(List.of(101, 1037, 4937, 102))),
        tensor("attention_mask", shape, "INT64", List.of(1, 1, 1, 1)),
        tensor("token_type_ids", shape, "INT64", List.of(0, 0, 0, 0))));
    infer(A, "/v2/models/" + LocalRegistryResource.MINILM + "/infer", body)
        .statusCode(200)
        .header("X-Infermint-Units", "1")
        .body("model_version", equalTo("1"))
        .body("outputs.find { it.name == 'last_hidden_state' }.shape", contains(1, 4, 384))
        .body("outputs.find { it.name == 'last_hidden_state' }.data", hasSize(4 * 384));
  }

  @Test
  void unitsAreTheSharedBatchSizeWhateverTheInputOrder() {
    Map<String, Object> x = tensor("x", List.of(4, 3), "FP32", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
    Map<String, Object> s = tensor("s", List.of(3), "FP32", List.of(2, 3, 4));
    Map<String, Object> t = tensor("t", List.of(), "FP32", List.of(1));
    // Before the fix a fixed [3] or a scalar put first billed 3 or 1 unit for 4 rows.
    for (List<Map<String, Object>> inputs : List.of(List.of(x, s, t), List.of(s, x, t), List.of(t, s, x))) {
      JsonPath json = infer(A, "/v2/models/scaled/infer", Map.of("inputs", inputs))
          .statusCode(200)
          .header("X-Infermint-Units", "4")
          .body("outputs[0].shape", contains(4, 3))
          .extract().jsonPath();
      assertFloats(json.getList("outputs[0].data"), 3, 7, 13, 9, 16, 25, 15, 25, 37, 21, 34, 49);
    }
  }

  @Test
  void inputsThatDisagreeOnTheBatchSizeAreA400NamingBoth() {
    List<Map<String, Object>> inputs = new ArrayList<>(List.of(
        tensor("i64", List.of(2), "INT64", List.of(1, 2)),
        tensor("i32", List.of(3), "INT32", List.of(1, 2, 3)),
        tensor("f64", List.of(2), "FP64", List.of(1, 2)),
        tensor("flag", List.of(2), "BOOL", List.of(true, false)),
        tensor("text", List.of(2), "BYTES", List.of("a", "b"))));
    String detail = null;
    for (int i = 0; i < 2; i++) {
      String seen = assertUnmetered(infer(A, "/v2/models/types/infer", Map.of("inputs", inputs))
          .statusCode(400)
          .body("code", equalTo("invalid_input"))
          .body("tensor", equalTo("i32"))
          .body("tensors", contains("i64", "i32"))
          .body("detail", containsString("'i64' has 2, 'i32' has 3")))
          .extract().path("detail");
      if (detail != null) {
        assertEquals(detail, seen, "the answer does not depend on the order of the inputs");
      }
      detail = seen;
      Collections.reverse(inputs);
    }
  }

  @Test
  void aModelWithoutABatchDimensionIsOneUnitPerCall() {
    infer(A, "/v2/models/fixed/infer", affineInput(List.of(2, 3), "FP32", List.of(1, 2, 3, 4, 5, 6)))
        .statusCode(200).header("X-Infermint-Units", "1").body("outputs[0].shape", contains(2, 3));
  }

  @Test
  void aPassedDeadlineIsA504AndNothingRuns() {
    String late = Long.toString(System.currentTimeMillis() - 1_000);
    assertUnmetered(infer(late, "/v2/models/affine/versions/1/infer",
        affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)), "late-oip-1"))
        .statusCode(504)
        .body("code", equalTo("deadline_exceeded"))
        .body("detail", containsString("on arrival"))
        .body("detail", containsString("nothing was computed"));
    // Refused before resolving, loading or running anything.
    assertTrue(registryRequests().stream().noneMatch(r -> "late-oip-1".equals(r.get("requestId"))));
  }

  @Test
  void aFarDeadlineRuns() {
    String far = Long.toString(System.currentTimeMillis() + 3_600_000);
    infer(far, "/v2/models/affine/versions/1/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)),
        "far-oip-1").statusCode(200).header("X-Infermint-Units", "1");
  }

  @Test
  void aDeadlinePassingWhileTheModelLoadsIsA504() {
    String soon = Long.toString(System.currentTimeMillis() + LocalRegistryResource.SLOW_BLOB_MS / 5);
    assertUnmetered(infer(soon, "/v2/models/slow/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)),
        "late-load-1"))
        .statusCode(504)
        .body("code", equalTo("deadline_exceeded"))
        .body("detail", containsString("load"));
    // The load itself finished and is kept for the next call.
    infer(A, "/v2/models/slow/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .statusCode(200).header("X-Infermint-Units", "1");
  }

  @Test
  void aMalformedDeadlineIsA400NamingTheHeader() {
    for (String bad : List.of("soon", "-5", "1.7e12", "12345678901234567890", "2025-01-01T00:00:00Z")) {
      assertUnmetered(infer(bad, "/v2/models/affine/infer", affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)),
          "bad-deadline"))
          .statusCode(400)
          .body("code", equalTo("invalid_input"))
          .body("header", equalTo("X-Infermint-Deadline"));
    }
  }

  @Test
  void aRegistryOutageIsA503WithRetryAfter() {
    Response r = AsGateway.tenant(A).body(affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3)))
        .post("/v2/models/" + LocalRegistryResource.REGISTRY_DOWN + "/infer");
    assertUnmetered(r.then().log().ifValidationFails())
        .statusCode(503)
        .body("code", equalTo("unavailable"))
        .header("Retry-After", "5");
  }

  @Test
  void failedCallsCarryNoMeteringHeaders() {
    Map<String, Object> ok = affineInput(List.of(1, 3), "FP32", List.of(1, 2, 3));
    assertUnmetered(infer(A, "/v2/models/affine/infer", affineInput(List.of(1, 4), "FP32", List.of(1, 2, 3, 4))))
        .statusCode(400);
    assertUnmetered(infer(A, "/v2/models/no-such-model/infer", ok)).statusCode(404);
    assertUnmetered(infer(A, "/v2/models/mislabeled/infer", affineInput(List.of(2, 4), "FP32",
        List.of(1, 2, 3, 4, 5, 6, 7, 8)))).statusCode(422).body("code", equalTo("inference_failed"));
    assertUnmetered(infer(A, "/v2/models/broken/infer", ok)).statusCode(422);
    assertUnmetered(infer(A, "/v2/models/tampered/infer", ok)).statusCode(502);
  }
}
