package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.affine;
import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Description and tags of models and versions: PATCH as a JSON merge patch, shown in every read, audited. */
@QuarkusTest
class ModelMetadataTest {

  private static final String PROBLEM = "application/problem+json";

  @Test
  void aModelsDescriptionAndTagsAreMergedAndShownEverywhere() {
    String tenant = newTenant();
    String model = newModel("described");
    upload(tenant, model, affine(1)).statusCode(201).body("tags", equalTo(Map.of()))
        .body("description", nullValue());
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .body("tags", equalTo(Map.of())).body("description", nullValue());

    patch(tenant, "/api/v1/models/{m}", model,
        Map.of("description", "Scores sentiment", "tags", Map.of("team", "nlp", "stage", "beta")))
        .statusCode(200)
        .body("name", equalTo(model))
        .body("description", equalTo("Scores sentiment"))
        .body("tags", equalTo(Map.of("team", "nlp", "stage", "beta")))
        .body("versions", equalTo(List.of(1)));

    // Merge patch: absent members stay, a tag set to null goes, a new one is added.
    Map<String, Object> tags = new HashMap<>();
    tags.put("stage", null);
    tags.put("owner", "ana");
    Callers.tenantAdmin(tenant).contentType("application/merge-patch+json").body(Map.of("tags", tags))
        .patch("/api/v1/models/{m}", model).then()
        .statusCode(200)
        .body("description", equalTo("Scores sentiment"))
        .body("tags", equalTo(Map.of("owner", "ana", "team", "nlp")));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .body("tags", equalTo(Map.of("owner", "ana", "team", "nlp")));
    Callers.tenantAdmin(tenant).get("/api/v1/models").then()
        .body("find { it.name == '" + model + "' }.description", equalTo("Scores sentiment"))
        .body("find { it.name == '" + model + "' }.tags.team", equalTo("nlp"));

    Map<String, Object> clear = new HashMap<>();
    clear.put("description", null);
    patch(tenant, "/api/v1/models/{m}", model, clear)
        .statusCode(200).body("description", nullValue()).body("tags.team", equalTo("nlp"));
  }

  @Test
  void aVersionsDescriptionAndTagsAreItsOwn() {
    String tenant = newTenant();
    String model = newModel("tagged");
    upload(tenant, model, affine(1)).statusCode(201);
    upload(tenant, model, affine(2)).statusCode(201);

    patch(tenant, "/api/v1/models/{m}/versions/2", model,
        Map.of("description", "retrained on May data", "tags", Map.of("dataset", "2026-05")))
        .statusCode(200)
        .body("version", equalTo(2))
        .body("description", equalTo("retrained on May data"))
        .body("tags", equalTo(Map.of("dataset", "2026-05")))
        .body("digest", equalTo("sha256:" + ModelResourceTest.sha256(affine(2))));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions/2", model).then()
        .body("description", equalTo("retrained on May data")).body("tags.dataset", equalTo("2026-05"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions/1", model).then()
        .body("description", nullValue()).body("tags", equalTo(Map.of()));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions", model).then()
        .body("find { it.version == 2 }.tags.dataset", equalTo("2026-05"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .body("tags", equalTo(Map.of())).body("description", nullValue());

    patch(tenant, "/api/v1/models/{m}/versions/9", model, Map.of("tags", Map.of()))
        .statusCode(404).contentType(PROBLEM);
  }

  @Test
  void badPatchesAre4xxNamingTheFieldAndChangeNothing() {
    String tenant = newTenant();
    String model = newModel("strict");
    upload(tenant, model, affine(1)).statusCode(201);
    patch(tenant, "/api/v1/models/{m}", model, Map.of("description", "kept", "tags", Map.of("kept", "yes")))
        .statusCode(200);

    Map<String, Object> tooMany = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      tooMany.put("k" + i, "v");
    }
    Map<String, Map<String, Object>> refused = new LinkedHashMap<>();
    refused.put("description", Map.of("description", "x".repeat(5001)));
    refused.put("tags.big", Map.of("tags", Map.of("big", "x".repeat(5001))));
    refused.put("tags.n", Map.of("tags", Map.of("n", 3)));
    refused.put("tags", Map.of("tags", Map.of("no spaces at the end ", "v")));
    refused.put("name", Map.of("name", "renamed"));
    refused.forEach((field, body) -> patch(tenant, "/api/v1/models/{m}", model, body)
        .statusCode(422).contentType(PROBLEM).body("code", equalTo("validation_failed"))
        .body("field", equalTo(field)));
    // 50 new tags beside the one stored would be 51.
    patch(tenant, "/api/v1/models/{m}", model, Map.of("tags", tooMany))
        .statusCode(422).body("field", equalTo("tags")).body("detail", containsString("at most 50"));
    patch(tenant, "/api/v1/models/{m}", model, "[1, 2]")
        .statusCode(400).contentType(PROBLEM).body("code", equalTo("malformed_request"));
    patch(tenant, "/api/v1/models/{m}", model, "{\"description\": ")
        .statusCode(400).contentType(PROBLEM);

    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .body("description", equalTo("kept")).body("tags", equalTo(Map.of("kept", "yes")));
  }

  @Test
  void onlyTheOwnersAdminsChangeIt() {
    String tenant = newTenant();
    String model = newModel("guarded");
    upload(tenant, model, affine(1)).statusCode(201);
    Map<String, Object> body = Map.of("description", "hijacked");
    patch(newTenant(), "/api/v1/models/{m}", model, body).statusCode(404).contentType(PROBLEM)
        .body("code", equalTo("not_found"));
    patch(newTenant(), "/api/v1/models/{m}/versions/1", model, body).statusCode(404).contentType(PROBLEM);
    Callers.as(tenant, "tenant-member").contentType("application/json").body(body)
        .patch("/api/v1/models/{m}", model).then().statusCode(403).body("code", equalTo("forbidden"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().body("description", nullValue());
  }

  @Test
  void changesAreAuditedWithWhatChanged() {
    String tenant = newTenant();
    String model = newModel("audited-tags");
    upload(tenant, model, affine(1)).statusCode(201);
    patch(tenant, "/api/v1/models/{m}", model, Map.of("description", "first", "tags", Map.of("a", "1")))
        .statusCode(200);
    Map<String, Object> removeA = new HashMap<>();
    removeA.put("a", null);
    // The version has no tag a: removing it changes nothing, so it is not audited.
    patch(tenant, "/api/v1/models/{m}/versions/1", model, Map.of("tags", removeA)).statusCode(200);
    patch(tenant, "/api/v1/models/{m}/versions/1", model, Map.of("tags", Map.of("b", "2"))).statusCode(200);

    await("the events reached the tenants service").atMost(Duration.ofSeconds(30))
        .until(() -> received(tenant).size() == 3);
    List<Map<String, Object>> events = received(tenant);
    assertEquals(List.of("model.version_uploaded", "model.updated", "model.version_updated"),
        events.stream().map(e -> e.get("action")).toList(), "a patch that changes nothing is not audited");
    assertEquals("model/" + model, events.get(1).get("target"));
    assertEquals(Map.of("description", "first", "tagsSet", Map.of("a", "1")), events.get(1).get("details"));
    assertEquals("model/" + model + "/versions/1", events.get(2).get("target"));
    assertEquals(Map.of("tagsSet", Map.of("b", "2")), events.get(2).get("details"));
  }

  /** PATCHes the path as the tenant's admin, with a JSON body. */
  private static ValidatableResponse patch(String tenant, String path, String model, Object body) {
    return Callers.tenantAdmin(tenant).contentType("application/json").body(body).patch(path, model).then();
  }

  private static List<Map<String, Object>> received(String tenant) {
    Map<Object, Map<String, Object>> byId = new LinkedHashMap<>(); // delivery is at-least-once
    TenantsStandIn.received().stream().filter(r -> r.answered() == 201).map(TenantsStandIn.Received::body)
        .filter(b -> tenant.equals(b.get("tenantId"))).forEach(b -> byId.putIfAbsent(b.get("id"), b));
    return byId.values().stream()
        .sorted(Comparator.comparing(b -> Instant.parse(String.valueOf(b.get("occurredAt"))))).toList();
  }
}
