package dev.infermint.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.infermint.stack.ServiceProcess;
import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * Issue #9 items 5 and 6 on the real stack (two workers, the registry's placement, the gateway's routes): a deployed
 * model is loaded by the worker it is placed on before any call; moving {@code production} to a version that answers
 * differently, while clients call in a loop, fails no call and never mixes the two versions in one answer; the worker
 * holding the replica killed -9, the replica moves to the other worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentRolloutIT {

  private static final String BODY = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\","
      + "\"data\":[1,2,3]}]}";

  private Stack stack;
  private String key;
  private String model;

  @BeforeAll
  void tenantAndModel() {
    stack = SharedStack.get();
    String admin = TestTokens.password(stack.keycloakUrl(), "admin", "admin");
    String slug = "ro-" + UUID.randomUUID().toString().substring(0, 8);
    String id = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "Rollout " + slug, "slug", slug, "plan", "enterprise"))
        .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
    key = given().baseUri(stack.gatewayUrl()).auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "rollout", "scopes", List.of("inference", "admin")))
        .post("/api/v1/tenants/{id}/api-keys", id).then().statusCode(201).extract().path("key");
    model = "answer-" + slug;
    // Version 1 answers 1 everywhere, version 2 answers 2 (and the slug keeps the digests this run's own).
    float salt = Math.floorMod(slug.hashCode(), 1000) / 1e6f;
    upload(OnnxModelBuilder.affine(new float[] {0, 0, 0}, new float[] {1, 1, 1 + salt}));
    upload(OnnxModelBuilder.affine(new float[] {0, 0, 0}, new float[] {2, 2, 2 + salt}));
    api().contentType(ContentType.JSON).body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/production", model).then().statusCode(200);
  }

  @Test
  @Order(1)
  void aDeployedModelIsLoadedWhereItIsPlacedBeforeAnyCall() {
    api().contentType(ContentType.JSON)
        .body(Map.of("replicas", 1, "device", "cpu", "maxBatchSize", 8, "maxQueueDelayMs", 1))
        .put("/api/v1/models/{m}/deployment", model).then().statusCode(200);
    await("version 1 ready on one worker within 5 s, with no call made").atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> api().get("/api/v1/models/{m}/deployment", model).then().statusCode(200)
            .body("status.state", equalTo("serving")).body("status.servingVersion", equalTo(1))
            .body("status.readyReplicas", equalTo(1)));
    String worker = api().get("/api/v1/models/{m}/deployment", model).then().extract()
        .path("status.replicas[0].workerId");
    assertTrue(serves(workerProcess(worker), 1), "the placed worker's repository index shows version 1 loaded");
  }

  @Test
  @Order(2)
  void movingProductionUnderLoadFailsNoCallAndMixesNoAnswer() throws Exception {
    ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> loop(running, answers, failures), "rollout-client-" + i);
      t.start();
      clients.add(t);
    }
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= 50);
      assertTrue(answers.stream().allMatch("1"::equals), "before the move every answer is version 1: " + answers);
      api().contentType(ContentType.JSON).body(Map.of("version", 2))
          .put("/api/v1/models/{m}/aliases/production", model).then().statusCode(200);
      await("calls answered by version 2 once it is ready").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> answers.stream().filter("2"::equals).count() >= 100);
    } finally {
      running.set(false);
      for (Thread t : clients) {
        t.join(30_000);
      }
    }
    assertEquals(List.of(), List.copyOf(failures), "no call fails during the switch");
    List<String> mixed = answers.stream().filter(a -> !a.equals("1") && !a.equals("2")).toList();
    assertEquals(List.of(), mixed, "every answer comes wholly from version 1 or version 2");
    api().get("/api/v1/models/{m}/deployment", model).then().statusCode(200)
        .body("status.servingVersion", equalTo(2)).body("status.state", equalTo("serving"));
  }

  @Test
  @Order(3)
  void theReplicaOfAKilledWorkerMovesToTheOtherOne() throws IOException, InterruptedException {
    assertEquals(2, stack.workers().size(), "the e2e stack runs two workers");
    String before = api().get("/api/v1/models/{m}/deployment", model).then().statusCode(200)
        .body("status.readyReplicas", equalTo(1)).extract().path("status.replicas[0].workerId");
    ServiceProcess victim = workerProcess(before);
    victim.kill();
    try {
      await("the replica is ready on the other worker").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            String now = api().get("/api/v1/models/{m}/deployment", model).then().statusCode(200)
                .body("status.readyReplicas", equalTo(1)).extract().path("status.replicas[0].workerId");
            assertNotEquals(before, now);
          });
      String answer = call();
      assertEquals("2", answer, "the moved replica serves version 2");
    } finally {
      if (!victim.isAlive()) {
        stack.restart(victim.name());
      }
    }
  }

  private void loop(AtomicBoolean running, ConcurrentLinkedQueue<String> answers,
      ConcurrentLinkedQueue<String> failures) {
    while (running.get()) {
      try {
        answers.add(call());
      } catch (IOException | IllegalStateException e) {
        failures.add(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @return "1" or "2" when every output element is that version's, else what came */
  private String call() throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/v2/models/" + model
            + "/infer")).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    List<Float> data = JsonPath.from(r.body()).getList("outputs[0].data", Float.class);
    int first = (int) Math.floor(data.get(0));
    for (float d : data) {
      if ((int) Math.floor(d) != first) {
        return "mixed " + data;
      }
    }
    return Integer.toString(first);
  }

  private void upload(byte[] onnx) {
    api().multiPart("file", model + ".onnx", onnx, "application/octet-stream").multiPart("task", "generic")
        .post("/api/v1/models/{m}/versions", model).then().statusCode(201);
  }

  private RequestSpecification api() {
    return given().baseUri(stack.gatewayUrl()).auth().oauth2(key);
  }

  /** The worker process whose id ({@code <host>-<port>}) the registry reports. */
  private ServiceProcess workerProcess(String workerId) {
    return stack.workers().stream().filter(w -> workerId.endsWith("-" + URI.create(w.url()).getPort())).findFirst()
        .orElseThrow(() -> new AssertionError("no worker of the stack has id " + workerId));
  }

  private boolean serves(ServiceProcess worker, int version) {
    String token = TestTokens.service(stack.keycloakUrl(), stack.secret("services-client-secret"));
    List<Map<String, Object>> index = given().baseUri(worker.url()).auth().oauth2(token)
        .get("/v2/repository/index").then().statusCode(200).extract().jsonPath().getList("$");
    return index.stream().anyMatch(e -> model.equals(e.get("name")) && String.valueOf(version).equals(e.get("version"))
        && "READY".equals(e.get("state")));
  }
}
