package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.affine;
import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue #9 item 5–7: workers register and heartbeat, deployments are placed on live workers of their device within
 * their memory budgets, a lost worker's placements move, a rollout switches only once the new version is ready, and
 * every change is a numbered event. The workers here are the test itself, speaking the worker's protocol.
 */
@QuarkusTest
class PlacementTest {

  private static final String PROBLEM = "application/problem+json";

  /** A worker the test plays: what it reports ready on each heartbeat. */
  private static final class FakeWorker {
    final String id = "w-" + UUID.randomUUID().toString().substring(0, 8);
    final String url = "http://" + id + ".test:8084";
    final String device;
    final long budget;
    /** owner/name/version reported READY (or FAILED with a reason). */
    final Map<String, String> states = new HashMap<>();

    FakeWorker(String device, long budget) {
      this.device = device;
      this.budget = budget;
    }

    /** @return the assignments the registry answered, as owner/name/version */
    List<String> beat() {
      List<Map<String, Object>> models = new ArrayList<>();
      states.forEach((key, state) -> {
        String[] p = key.split("/");
        Map<String, Object> m = new HashMap<>(Map.of("owner", p[0], "name", p[1], "version",
            Integer.parseInt(p[2]), "state", state.startsWith("FAILED") ? "FAILED" : state));
        if (state.startsWith("FAILED:")) {
          m.put("reason", state.substring(7));
        }
        models.add(m);
      });
      JsonPath answer = Callers.service().contentType("application/json")
          .body(Map.of("url", url, "device", device, "memoryBudgetBytes", budget, "memoryFactor", 2.0,
              "models", models))
          .put("/internal/workers/{id}", id).then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> assignments = answer.getList("assignments");
      return assignments.stream().map(a -> a.get("owner") + "/" + a.get("name") + "/" + a.get("version")).toList();
    }

    /** Heartbeats and reports READY every assignment of the given model. */
    List<String> beatAndLoad(String tenant, String model) {
      List<String> got = beat();
      got.stream().filter(a -> a.startsWith(tenant + "/" + model + "/")).forEach(a -> states.put(a, "READY"));
      return got;
    }
  }

  @Test
  void aDeploymentIsPlacedOnLiveWorkersOfItsDeviceAndMovesWhenOneIsLost() {
    String tenant = newTenant();
    String model = newModel("placed");
    upload(tenant, model, affine(3)).statusCode(201);
    FakeWorker a = new FakeWorker("cpu", 1L << 30);
    FakeWorker b = new FakeWorker("cpu", 1L << 30);
    FakeWorker gpu = new FakeWorker("gpu", 1L << 30);
    FakeWorker tiny = new FakeWorker("cpu", 10);
    List<FakeWorker> all = List.of(a, b, gpu, tiny);
    all.forEach(FakeWorker::beat);
    deploy(tenant, model, 2, "cpu");
    String v1 = tenant + "/" + model + "/1";

    await("both cpu workers with room get version 1").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Map<FakeWorker, List<String>> got = new HashMap<>();
      all.forEach(w -> got.put(w, w.beatAndLoad(tenant, model)));
      assertTrue(got.get(a).contains(v1), "worker a: " + got.get(a));
      assertTrue(got.get(b).contains(v1), "worker b: " + got.get(b));
      assertTrue(!got.get(gpu).contains(v1), "the gpu worker must not get a cpu deployment");
      assertTrue(!got.get(tiny).contains(v1), "a worker without room must not get it");
    });
    await("the deployment serves on two ready replicas").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      all.forEach(w -> w.beatAndLoad(tenant, model));
      Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/deployment", model).then().statusCode(200)
          .body("status.state", equalTo("serving"))
          .body("status.servingVersion", equalTo(1))
          .body("status.readyReplicas", equalTo(2));
    });
    assertEquals(Set.of(a.url, b.url), readyUrls(tenant, model, 1), "the gateways' routes name both replicas");

    // Worker a stops heartbeating: after the TTL its replica moves to the other live cpu worker with room.
    FakeWorker c = new FakeWorker("cpu", 1L << 30);
    List<FakeWorker> rest = List.of(b, gpu, tiny, c);
    await("worker a's replica moves to worker c").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      rest.forEach(w -> w.beatAndLoad(tenant, model));
      assertEquals(Set.of(b.url, c.url), readyUrls(tenant, model, 1));
    });
    List<Map<String, Object>> workers = Callers.service().get("/internal/workers").then().statusCode(200)
        .extract().jsonPath().getList("");
    Map<String, Object> lost = workers.stream().filter(w -> a.id.equals(w.get("id"))).findFirst().orElseThrow();
    assertEquals(false, lost.get("live"), "worker a is listed as lost");

    // Another tenant sees nothing of it.
    Callers.tenantAdmin(newTenant()).get("/api/v1/models/{m}/deployment", model).then().statusCode(404)
        .contentType(PROBLEM);
  }

  @Test
  void aRolloutSwitchesOnlyOnceTheNewVersionIsReadyOnEveryReplica() {
    String tenant = newTenant();
    String model = newModel("rollout");
    upload(tenant, model, affine(5)).statusCode(201);
    FakeWorker a = new FakeWorker("cpu", 1L << 30);
    FakeWorker b = new FakeWorker("cpu", 1L << 30);
    a.beat();
    b.beat();
    deploy(tenant, model, 2, "cpu");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      a.beatAndLoad(tenant, model);
      b.beatAndLoad(tenant, model);
      assertEquals(2, readyUrls(tenant, model, 1).size());
    });
    long before = lastSeq();

    upload(tenant, model, affine(6)).statusCode(201);
    String v2 = tenant + "/" + model + "/2";
    await("both workers are told to load version 2 beside version 1").atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          assertTrue(a.beat().contains(v2));
          assertTrue(b.beat().contains(v2));
        });
    // Only one replica has it ready: calls still run version 1, which both keep.
    a.states.put(v2, "READY");
    a.beat();
    for (int i = 0; i < 5; i++) {
      assertTrue(a.beat().contains(tenant + "/" + model + "/1"));
      assertTrue(b.beat().contains(tenant + "/" + model + "/1"));
      resolve(tenant, model).body("version", equalTo(1));
      Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/deployment", model).then().statusCode(200)
          .body("status.state", equalTo("rolling_out")).body("status.targetVersion", equalTo(2));
    }
    b.states.put(v2, "READY");
    await("the serving version moves to 2 once both replicas have it").atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          a.beat();
          b.beat();
          resolve(tenant, model).body("version", equalTo(2));
        });
    await("version 1 is unassigned after the switch").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertTrue(!a.beat().contains(tenant + "/" + model + "/1"));
      assertTrue(!b.beat().contains(tenant + "/" + model + "/1"));
    });

    // The serving version cannot be deleted from under the deployment; nothing is deleted.
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/2", model).then().statusCode(409)
        .contentType(PROBLEM).body("code", equalTo("version_in_use"))
        .body("detail", org.hamcrest.Matchers.containsString("deployment"));
    resolve(tenant, model).body("version", equalTo(2));

    // Every step is a numbered event.
    List<Map<String, Object>> events = Callers.service().queryParam("after", before).get("/internal/events")
        .then().statusCode(200).extract().jsonPath().getList("events");
    List<Map<String, Object>> mine = events.stream().filter(e -> model.equals(e.get("model"))).toList();
    List<String> types = mine.stream().map(e -> (String) e.get("type")).toList();
    assertTrue(types.contains("version_created"), types.toString());
    assertTrue(types.contains("placement_changed"), types.toString());
    assertTrue(types.contains("serving_changed"), types.toString());
    assertTrue(types.indexOf("version_created") < types.lastIndexOf("serving_changed"), types.toString());
    List<Long> seqs = events.stream().map(e -> ((Number) e.get("seq")).longValue()).toList();
    assertEquals(seqs.stream().sorted().toList(), seqs, "events come in sequence order");
    assertTrue(seqs.get(0) > before);
  }

  @Test
  void aVersionThatFailsToLoadNeverTakesOver() {
    String tenant = newTenant();
    String model = newModel("failing");
    upload(tenant, model, affine(7)).statusCode(201);
    FakeWorker a = new FakeWorker("cpu", 1L << 30);
    a.beat();
    deploy(tenant, model, 1, "cpu");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      a.beatAndLoad(tenant, model);
      assertEquals(1, readyUrls(tenant, model, 1).size());
    });
    upload(tenant, model, affine(8)).statusCode(201);
    String v2 = tenant + "/" + model + "/2";
    await().atMost(Duration.ofSeconds(10)).until(() -> a.beat().contains(v2));
    a.states.put(v2, "FAILED:out of device memory");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      a.beat();
      Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/deployment", model).then().statusCode(200)
          .body("status.replicas.find { it.version == 2 }.state", equalTo("failed"))
          .body("status.replicas.find { it.version == 2 }.reason", equalTo("out of device memory"))
          .body("status.servingVersion", equalTo(1));
    });
    resolve(tenant, model).body("version", equalTo(1));
  }

  @Test
  void heartbeatsAreValidatedAndNeedAServiceToken() {
    Callers.service().contentType("application/json")
        .body(Map.of("url", "not a url", "device", "cpu", "memoryBudgetBytes", 1))
        .put("/internal/workers/{id}", "w1").then().statusCode(422).contentType(PROBLEM)
        .body("detail", org.hamcrest.Matchers.containsString("url"));
    Callers.service().contentType("application/json")
        .body(Map.of("url", "http://w1:8084", "device", "tpu", "memoryBudgetBytes", 1))
        .put("/internal/workers/{id}", "w1").then().statusCode(422).contentType(PROBLEM)
        .body("detail", org.hamcrest.Matchers.containsString("device"));
    Callers.service().contentType("application/json")
        .body(Map.of("url", "http://w1:8084", "device", "cpu", "memoryBudgetBytes", 1))
        .put("/internal/workers/{id}", "bad id!").then().statusCode(422).contentType(PROBLEM);
    given().contentType("application/json")
        .body(Map.of("url", "http://w1:8084", "device", "cpu", "memoryBudgetBytes", 1))
        .put("/internal/workers/{id}", "w1").then().statusCode(401);
    given().get("/internal/placements").then().statusCode(401);
    given().get("/internal/events").then().statusCode(401);
    Callers.service().queryParam("limit", 0).get("/internal/events").then().statusCode(422).contentType(PROBLEM);
  }

  private static void deploy(String tenant, String model, int replicas, String device) {
    Callers.tenantAdmin(tenant).contentType("application/json")
        .body(Map.of("replicas", replicas, "device", device, "maxBatchSize", 8, "maxQueueDelayMs", 2))
        .put("/api/v1/models/{m}/deployment", model).then().statusCode(200);
  }

  private static Set<String> readyUrls(String tenant, String model, int version) {
    List<Map<String, Object>> routes = Callers.service().get("/internal/placements").then().statusCode(200)
        .extract().jsonPath().getList("models");
    Map<String, Object> route = routes.stream()
        .filter(r -> tenant.equals(r.get("owner")) && model.equals(r.get("name"))).findFirst().orElse(null);
    if (route == null) {
      return Set.of();
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> replicas = (List<Map<String, Object>>) route.get("replicas");
    return replicas.stream().filter(r -> "ready".equals(r.get("state")) && r.get("version").equals(version))
        .map(r -> (String) r.get("url")).collect(Collectors.toSet());
  }

  private static long lastSeq() {
    return Callers.service().get("/internal/events?after=0&limit=1").then().statusCode(200).extract().jsonPath()
        .getLong("last");
  }

  private static io.restassured.response.ValidatableResponse resolve(String tenant, String model) {
    return Callers.service().queryParam("tenant", tenant).queryParam("model", model)
        .get("/internal/models/resolve").then().statusCode(200);
  }
}
