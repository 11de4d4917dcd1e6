package dev.infermint.worker.rest;

import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.testsupport.TestTokens;
import dev.infermint.worker.AsGateway;
import dev.infermint.worker.LocalRegistryResource;
import dev.infermint.worker.OipBodies;

/**
 * Random bodies ({@link OipBodies}, jqwik's generators) over HTTP to the running worker with real ONNX Runtime
 * sessions: no answer is a 5xx, every 4xx is problem+json with a code, and afterwards the worker still answers a
 * valid request exactly. The full 10,000 tries run at the protocol layer ({@code OipProtocolPropertyTest}); here a
 * sample of {@value #SAMPLE} goes through everything (HTTP, auth, framing, batching, ONNX Runtime, encoding).
 */
@QuarkusTest
class OipFuzzTest {

  private static final Logger LOG = Logger.getLogger(OipFuzzTest.class);
  private static final int SAMPLE = 2_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void randomBodiesGetNo5xxAndTheWorkerKeepsServing() throws Exception {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    String token = TestTokens.service();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, Integer> outcomes = new TreeMap<>();
    long start = System.nanoTime();
    List<OipBodies.Body> bodies = OipBodies.bodies().sampleStream().limit(SAMPLE).toList();
    for (OipBodies.Body body : bodies) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v2/models/"
              + body.model() + "/infer"))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token)
          .header("X-Infermint-Caller-Kind", "API_KEY")
          .header("X-Infermint-Subject", "fuzz")
          .header("X-Infermint-Tenant-Id", LocalRegistryResource.TENANT_A)
          .header("X-Infermint-Roles", "inference")
          .header("Content-Type", body.headerLength() == null ? "application/json" : "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
      if (body.headerLength() != null) {
        request.header("Inference-Header-Content-Length", body.headerLength());
      }
      HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      assertTrue(status < 500, "answered " + status + " " + new String(response.body()) + " to " + body);
      String code = String.valueOf(status);
      if (status >= 400) {
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""),
            "content type of a " + status + " to " + body);
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.path("status").asInt(), "status in the problem");
        assertTrue(problem.path("code").isTextual() && problem.path("detail").isTextual(), problem.toString());
        code += " " + problem.path("code").asText();
      }
      outcomes.merge(code, 1, Integer::sum);
    }
    LOG.infof("%d random bodies over HTTP in %d ms: %s", SAMPLE, (System.nanoTime() - start) / 1_000_000, outcomes);
    assertTrue(outcomes.getOrDefault("200", 0) > 0, "some random bodies are valid: " + outcomes);

    AsGateway.tenant(LocalRegistryResource.TENANT_A)
        .body(Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 3), "datatype", "FP32",
            "data", List.of(1, 2, 3)))))
        .post("/v2/models/affine/versions/1/infer").then().log().ifValidationFails()
        .statusCode(200).body("outputs[0].data", contains(3.0f, 7.0f, 13.0f));
  }
}
