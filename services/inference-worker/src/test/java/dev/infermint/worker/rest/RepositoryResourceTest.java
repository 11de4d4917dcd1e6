package dev.infermint.worker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.worker.AsGateway;
import dev.infermint.worker.LocalRegistryResource;

/** Triton's model repository API on the worker, and per-model readiness that follows it. */
@QuarkusTest
@QuarkusTestResource(value = LocalRegistryResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
class RepositoryResourceTest {

  private static final String A = LocalRegistryResource.TENANT_A;
  private static final String PROBLEM = "application/problem+json";

  private static ValidatableResponse repository(String action, String model, String query) {
    return AsService.service().post("/v2/repository/models/" + model + "/" + action + query).then().log()
        .ifValidationFails();
  }

  private static Map<String, Object> indexEntry(String model, String version) {
    List<Map<String, Object>> index = AsService.service().get("/v2/repository/index").then().statusCode(200)
        .extract().jsonPath().getList("$");
    return index.stream().filter(e -> model.equals(e.get("name")) && version.equals(e.get("version"))).findFirst()
        .orElseThrow(() -> new AssertionError(model + ":" + version + " is not in the index " + index));
  }

  private static ValidatableResponse ready(String path) {
    return AsGateway.tenant(A).get(path).then().log().ifValidationFails();
  }

  @Test
  void loadAndUnloadDecideReadiness() {
    repository("load", "affine", "?tenant=" + A + "&version=2").statusCode(200);
    repository("unload", "affine", "?tenant=" + A + "&version=2").statusCode(200)
        .body("state", equalTo("UNAVAILABLE"));
    ready("/v2/models/affine/versions/2/ready").statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("model_not_ready")).body("detail", containsString("unloaded"));

    repository("load", "affine", "?tenant=" + A + "&version=2").statusCode(200)
        .body("name", equalTo("affine")).body("version", equalTo("2")).body("owner", equalTo(A))
        .body("state", equalTo("READY")).body("device", equalTo("cpu")).body("memoryBytes", greaterThan(0));
    ready("/v2/models/affine/versions/2/ready").statusCode(200).body("ready", equalTo(true));
    ready("/v2/models/affine/ready").statusCode(200).body("version", equalTo("2"));
    Map<String, Object> entry = indexEntry("affine", "2");
    org.junit.jupiter.api.Assertions.assertEquals("READY", entry.get("state"));

    repository("unload", "affine", "?tenant=" + A + "&version=2").statusCode(200)
        .body("state", equalTo("UNAVAILABLE")).body("reason", equalTo("unloaded"));
    org.junit.jupiter.api.Assertions.assertEquals("UNAVAILABLE", indexEntry("affine", "2").get("state"));
    ready("/v2/models/affine/ready").statusCode(400).body("code", equalTo("model_not_ready"));

    // The next call loads it again.
    JsonPath json = AsGateway.tenant(A).body(Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 3),
        "datatype", "FP32", "data", List.of(1, 2, 3))))).post("/v2/models/affine/infer").then().statusCode(200)
        .extract().jsonPath();
    org.junit.jupiter.api.Assertions.assertEquals(List.of(11f, 22f, 33f), json.getList("outputs[0].data", Float.class));
    ready("/v2/models/affine/ready").statusCode(200);
  }

  @Test
  void aModelThatCannotLoadIsUnavailableWithTheReason() {
    repository("load", "broken", "?tenant=" + A).statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("model_load_failed"));
    Map<String, Object> entry = indexEntry("broken", "1");
    org.junit.jupiter.api.Assertions.assertEquals("UNAVAILABLE", entry.get("state"));
    org.hamcrest.MatcherAssert.assertThat((String) entry.get("reason"), containsString("cannot be loaded"));
  }

  @Test
  void unknownModelsAndOtherTenantsModelsAreNotFound() {
    repository("load", "no-such-model", "?tenant=" + A).statusCode(404).contentType(PROBLEM)
        .body("code", equalTo("not_found"));
    repository("load", "affine", "?tenant=" + LocalRegistryResource.TENANT_B).statusCode(404);
    repository("load", "affine", "").statusCode(404);
  }

  @Test
  void theRepositoryNeedsAServiceToken() {
    given().get("/v2/repository/index").then().statusCode(401).contentType(PROBLEM)
        .body("code", equalTo("unauthenticated"));
    given().post("/v2/repository/models/affine/load?tenant=" + A).then().statusCode(401);
  }
}
