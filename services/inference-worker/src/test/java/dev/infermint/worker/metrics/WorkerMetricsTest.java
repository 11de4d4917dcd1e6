package dev.infermint.worker.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.worker.AsGateway;
import dev.infermint.worker.LocalRegistryResource;

/**
 * The Prometheus text at {@code /q/metrics}, served without a token, after calls whose outcome is known: model
 * {@code scaled} is used by no other test, so its series start at zero here.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalRegistryResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
class WorkerMetricsTest {

  private static final String A = LocalRegistryResource.TENANT_A;
  private static final String MODEL = "model=\"scaled\"";
  private static final String VERSION = "version=\"1\"";

  private static Map<String, Object> scaled(int rows) {
    List<Float> x = new ArrayList<>();
    for (int i = 0; i < rows * 3; i++) {
      x.add((float) i);
    }
    return Map.of("inputs", List.of(
        Map.of("name", "x", "shape", List.of(rows, 3), "datatype", "FP32", "data", x),
        Map.of("name", "s", "shape", List.of(3), "datatype", "FP32", "data", List.of(1, 1, 1)),
        Map.of("name", "t", "shape", List.of(), "datatype", "FP32", "data", List.of(0))));
  }

  private static String scrape() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The value of the one sample of that name whose labels contain all of {@code labels}. */
  private static double value(String text, String name, String... labels) {
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(text);
    List<Double> found = new ArrayList<>();
    while (m.find()) {
      String have = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String l : labels) {
        all &= have.contains(l);
      }
      if (all) {
        found.add(Double.parseDouble(m.group(2)));
      }
    }
    assertEquals(1, found.size(), "one sample of " + name + " with " + List.of(labels) + " in:\n" + text);
    return found.get(0);
  }

  @Test
  void countsFollowTheCallsAndCountOverExecIsTheAverageBatch() throws Exception {
    // 16 concurrent calls of 1 or 2 rows (24 rows), 2 calls refused before they run, 1 ONNX Runtime refusal.
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int rows = i % 2 + 1;
      calls.add(pool.submit(() -> AsGateway.tenant(A).body(scaled(rows)).post("/v2/models/scaled/infer")
          .then().extract().statusCode()));
    }
    for (Future<Integer> call : calls) {
      assertEquals(200, call.get());
    }
    pool.shutdown();
    AsGateway.tenant(A).body(Map.of("inputs", List.of(Map.of("name", "nope", "shape", List.of(1),
        "datatype", "FP32", "data", List.of(1))))).post("/v2/models/scaled/infer").then().statusCode(400);
    AsGateway.tenant(A).body(scaled(1)).header("X-Infermint-Deadline", "1000").post("/v2/models/scaled/infer")
        .then().statusCode(504);

    String text = scrape();
    assertEquals(16, value(text, "infermint_inference_request_success_total", MODEL, VERSION));
    assertEquals(1, value(text, "infermint_inference_request_failure_total", MODEL, VERSION, "reason=\"invalid_input\""));
    double items = value(text, "infermint_inference_count_total", MODEL, VERSION);
    double execs = value(text, "infermint_inference_exec_count_total", MODEL, VERSION);
    assertEquals(24, items, "every row inferred once");
    assertTrue(execs >= 1 && execs <= 16, "batches: " + execs);
    double batches = value(text, "infermint_inference_batch_size_count", MODEL, VERSION);
    double rowsInBatches = value(text, "infermint_inference_batch_size_sum", MODEL, VERSION);
    assertEquals(execs, batches, "one batch-size sample per execution");
    assertEquals(items / execs, rowsInBatches / batches, 1e-9, "count / exec = the average batch size");
    assertEquals(execs, value(text, "infermint_inference_batch_size_bucket", MODEL, VERSION, "le=\"+Inf\""));
    assertEquals(16, value(text, "infermint_inference_queue_duration_seconds_count", MODEL, VERSION),
        "every request that ran waited once");
    assertEquals(execs, value(text, "infermint_inference_compute_duration_seconds_count", MODEL, VERSION));
    assertTrue(value(text, "infermint_models_loaded") >= 1);
    // The tenant's queue is empty now; its gauge reads 0 until the queue goes idle.
    assertEquals(0, value(text, "infermint_inference_pending_requests", MODEL, VERSION, "tenant=\"" + A + "\""));
  }

  @Test
  void theDeploymentsBatchSizeAndDelayShapeTheBatches() throws Exception {
    // Model "deployed": maxBatchSize 4 and maxQueueDelayMs 10000 in the registry, so 8 calls of one row wait until
    // 4 rows are queued and run as exactly two full batches (the worker's defaults, 32 and 2 ms, would not).
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<List<Float>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      float x = i;
      calls.add(pool.submit(() -> AsGateway.tenant(A).body(Map.of("inputs", List.of(Map.of("name", "x",
          "shape", List.of(1, 3), "datatype", "FP32", "data", List.of(x, x, x))))).post("/v2/models/deployed/infer")
          .then().statusCode(200).extract().jsonPath().getList("outputs[0].data", Float.class)));
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(List.of(4f * i + 1, 4f * i + 2, 4f * i + 3), calls.get(i).get(), "its own row of the batch");
    }
    pool.shutdown();
    String text = scrape();
    String model = "model=\"deployed\"";
    assertEquals(8, value(text, "infermint_inference_count_total", model, VERSION));
    assertEquals(2, value(text, "infermint_inference_exec_count_total", model, VERSION));
    assertEquals(4, value(text, "infermint_inference_batch_size_max", model, VERSION));
  }

  @Test
  void aRequestForAnUnknownModelIsCountedWithoutAModelLabel() {
    double before = failures(scrape());
    AsGateway.tenant(A).body(scaled(1)).post("/v2/models/no-such-model-here/infer").then().statusCode(404);
    String text = scrape();
    assertEquals(before + 1, failures(text));
    assertTrue(!text.contains("no-such-model-here"), "a name nobody registered never becomes a label");
  }

  private static double failures(String text) {
    return text.contains("reason=\"not_found\"") ? value(text, "infermint_inference_request_failure_total",
        "model=\"\"", "reason=\"not_found\"") : 0;
  }
}
