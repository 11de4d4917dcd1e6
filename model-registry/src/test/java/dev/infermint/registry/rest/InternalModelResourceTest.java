package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.ModelResourceTest.sha256;
import static dev.infermint.registry.rest.Uploads.affine;
import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.testsupport.TestTokens;

/** What the inference workers call: resolve, list, and blob download. */
@QuarkusTest
class InternalModelResourceTest {

  private static final String PROBLEM = "application/problem+json";

  @Test
  void resolvePicksTheNewestVersionUntilProductionIsSet() {
    String tenant = newTenant();
    String model = newModel("resolved");
    byte[] v1 = affine(11);
    byte[] v2 = affine(12);
    upload(tenant, model, v1).statusCode(201);
    resolve(tenant, model, null).statusCode(200).body("version", equalTo(1));
    upload(tenant, model, v2).statusCode(201);

    resolve(tenant, model, null).statusCode(200)
        .body("name", equalTo(model))
        .body("version", equalTo(2))
        .body("owner", equalTo(tenant))
        .body("task", equalTo("generic"))
        .body("digest", equalTo("sha256:" + sha256(v2)))
        .body("tokenizerDigest", nullValue())
        .body("inputs", equalTo(List.of(Map.of("name", "x", "datatype", "FP32", "shape", List.of(-1, 3)))))
        .body("outputs[0].name", equalTo("y"))
        .body("opset", equalTo(13));

    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/production", model).then().statusCode(200);
    resolve(tenant, model, null).statusCode(200).body("version", equalTo(1))
        .body("digest", equalTo("sha256:" + sha256(v1)));
    resolve(tenant, model, "2").statusCode(200).body("version", equalTo(2));
    resolve(tenant, model, "production").statusCode(200).body("version", equalTo(1));
    resolve(tenant, model, "5").statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
    resolve(tenant, model, "canary").statusCode(404).contentType(PROBLEM);
  }

  @Test
  void resolveCarriesTheModelsDeploymentForTheWorker() {
    String tenant = newTenant();
    String model = newModel("deployed");
    upload(tenant, model, affine(31)).statusCode(201);
    resolve(tenant, model, null).statusCode(200).body("deployment", nullValue());

    Callers.tenantAdmin(tenant).contentType("application/json")
        .body(Map.of("replicas", 2, "device", "gpu", "maxBatchSize", 8, "maxQueueDelayMs", 5))
        .put("/api/v1/models/{m}/deployment", model).then().statusCode(200);
    resolve(tenant, model, null).statusCode(200)
        .body("deployment.device", equalTo("gpu"))
        .body("deployment.maxBatchSize", equalTo(8))
        .body("deployment.maxQueueDelayMs", equalTo(5))
        .body("deployment.replicas", equalTo(2))
        .body("deployment.instances", nullValue());

    Callers.tenantAdmin(tenant).contentType("application/json")
        .body(Map.of("replicas", 1, "device", "cpu", "maxBatchSize", 16, "maxQueueDelayMs", 2, "instances", 3))
        .put("/api/v1/models/{m}/deployment", model).then().statusCode(200);
    resolve(tenant, model, null).statusCode(200)
        .body("deployment.instances", equalTo(3))
        .body("deployment.maxBatchSize", equalTo(16));
    resolve(newTenant(), model, null).statusCode(404);
  }

  @Test
  void anotherTenantFallsBackToThePublicCatalogOnly() {
    String owner = newTenant();
    String other = newTenant();
    String model = newModel("mine");
    upload(owner, model, affine(21)).statusCode(201);

    resolve(other, model, null).statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
    resolve(other, "all-minilm-l6-v2", null).statusCode(200)
        .body("owner", equalTo("public")).body("task", equalTo("embedding"));

    // A tenant's own model of a catalog name shadows the catalog for that tenant only.
    upload(owner, "all-minilm-l6-v2", affine(22)).statusCode(201);
    resolve(owner, "all-minilm-l6-v2", null).statusCode(200).body("owner", equalTo(owner));
    resolve(other, "all-minilm-l6-v2", null).statusCode(200).body("owner", equalTo("public"));

    Callers.service().get("/internal/models?tenant={t}", owner).then()
        .statusCode(200)
        .body("name", hasItem(model))
        .body("findAll { it.name == 'all-minilm-l6-v2' }.owner", equalTo(List.of(owner)));
    Callers.service().get("/internal/models?tenant={t}", other).then()
        .statusCode(200)
        .body("name", not(hasItem(model)))
        .body("find { it.name == 'all-minilm-l6-v2' }.owner", equalTo("public"))
        .body("find { it.name == 'all-minilm-l6-v2' }.task", equalTo("embedding"));
  }

  @Test
  void theBlobEndpointReturnsTheExactBytes() {
    byte[] onnx = affine(31);
    upload(newTenant(), newModel("bytes"), onnx).statusCode(201);

    byte[] fetched = Callers.service().get("/internal/blobs/{hex}", sha256(onnx)).then()
        .statusCode(200)
        .contentType("application/octet-stream")
        .header("Content-Length", String.valueOf(onnx.length))
        .extract().asByteArray();
    assertArrayEquals(onnx, fetched);

    Callers.service().get("/internal/blobs/{hex}", sha256(new byte[] {1, 2, 3})).then()
        .statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
    Callers.service().get("/internal/blobs/not-a-digest").then().statusCode(404).contentType(PROBLEM);
  }

  @Test
  void internalEndpointsRefuseCallersWithoutAServiceToken() {
    byte[] onnx = affine(32);
    String tenant = newTenant();
    upload(tenant, newModel("guarded"), onnx).statusCode(201);
    given().get("/internal/blobs/{hex}", sha256(onnx)).then()
        .statusCode(401).contentType(PROBLEM).body("code", equalTo("unauthenticated"));
    given().auth().oauth2("not-a-token").get("/internal/models/resolve?model=all-minilm-l6-v2")
        .then().statusCode(401).contentType(PROBLEM);
    given().auth().oauth2(TestTokens.platformAdmin()).get("/internal/models?tenant=" + tenant).then()
        .statusCode(403).contentType(PROBLEM).body("code", equalTo("forbidden"));
  }

  private static io.restassured.response.ValidatableResponse resolve(String tenant, String model, String version) {
    var request = Callers.service().queryParam("tenant", tenant).queryParam("model", model);
    if (version != null) {
      request.queryParam("version", version);
    }
    return request.get("/internal/models/resolve").then();
  }
}
