package dev.infermint.worker.placement;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.worker.LocalRegistryResource;

/**
 * Issue #9 item 5, the worker's side: it registers with its URL, device and memory budget, loads what the registry
 * assigns it before any call asks for it, reports each assignment READY or FAILED with the reason, and forgets what
 * is taken away.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalRegistryResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
class RegistryAgentTest {

  private static final String A = LocalRegistryResource.TENANT_A;

  @Inject
  RegistryAgent agent;

  @AfterEach
  void clear() {
    LocalRegistryResource.ASSIGNMENTS.clear();
  }

  private JsonNode lastBeat() {
    JsonNode beat = LocalRegistryResource.HEARTBEATS.get(agent.id());
    assertNotNull(beat, "no heartbeat from worker " + agent.id() + " yet");
    return beat;
  }

  private JsonNode report(String name, int version) {
    for (JsonNode m : lastBeat().path("models")) {
      if (m.path("name").asText().equals(name) && m.path("version").asInt() == version) {
        return m;
      }
    }
    return null;
  }

  @Test
  void theWorkerRegistersWithWhereItIsAndWhatItCanHold() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      JsonNode beat = lastBeat();
      assertTrue(beat.path("url").asText().startsWith("http://"), beat.toString());
      assertEquals("cpu", beat.path("device").asText());
      assertTrue(beat.path("memoryBudgetBytes").asLong() > 0, beat.toString());
      assertEquals(3.0, beat.path("memoryFactor").asDouble(), 1e-9);
    });
  }

  @Test
  void anAssignedModelIsLoadedBeforeAnyCallAndReportedReady() {
    // Version 1 of affine is loaded by nothing else in this test class before the assignment.
    AsService.service().post("/v2/repository/models/affine/unload?tenant=" + A + "&version=1").then()
        .statusCode(200);
    LocalRegistryResource.ASSIGNMENTS.add(Map.of("owner", A, "name", "affine", "version", 1));
    LocalRegistryResource.ASSIGNMENTS.add(Map.of("owner", A, "name", "broken", "version", 1));
    await("affine:1 reported READY, broken:1 FAILED with the reason").atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> {
          JsonNode affine = report("affine", 1);
          assertNotNull(affine, lastBeat().toString());
          assertEquals("READY", affine.path("state").asText(), affine.toString());
          JsonNode broken = report("broken", 1);
          assertNotNull(broken, lastBeat().toString());
          assertEquals("FAILED", broken.path("state").asText(), broken.toString());
          assertFalse(broken.path("reason").asText().isBlank(), broken.toString());
        });
    List<Map<String, Object>> index = AsService.service().get("/v2/repository/index").then().statusCode(200)
        .extract().jsonPath().getList("$");
    assertTrue(index.stream().anyMatch(e -> "affine".equals(e.get("name")) && "1".equals(e.get("version"))
        && "READY".equals(e.get("state"))), "the repository index shows it loaded: " + index);

    LocalRegistryResource.ASSIGNMENTS.clear();
    await("what is taken away is no longer reported").atMost(Duration.ofSeconds(10))
        .until(() -> report("affine", 1) == null && report("broken", 1) == null);
  }
}
