package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.affine;
import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.service.ExternalDataModels;
import dev.infermint.testsupport.EmbeddedPostgresResource;
import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.testsupport.OnnxModelBuilder;

/** The management API: uploads, reads, aliases, deployments, deletes, and tenant isolation. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FreshDataDirResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
class ModelResourceTest {

  private static final String PROBLEM = "application/problem+json";

  @Inject
  RegistryConfig config;

  @Test
  void uploadReadsTheSignatureWithOnnxRuntimeAndAnswersTheDigest() {
    String tenant = newTenant();
    String model = newModel("affine");
    byte[] onnx = affine(2);
    upload(tenant, model, onnx)
        .statusCode(201)
        .header("Location", endsWith("/api/v1/models/" + model + "/versions/1"))
        .body("name", equalTo(model))
        .body("owner", equalTo(tenant))
        .body("version", equalTo(1))
        .body("digest", equalTo("sha256:" + sha256(onnx)))
        .body("sizeBytes", equalTo(onnx.length))
        .body("task", equalTo("generic"))
        .body("inputs", equalTo(List.of(Map.of("name", "x", "datatype", "FP32", "shape", List.of(-1, 3)))))
        .body("outputs", equalTo(List.of(Map.of("name", "y", "datatype", "FP32", "shape", List.of(-1, 3)))))
        .body("opset", equalTo(13))
        .body("createdAt", notNullValue());
    assertTrue(Files.exists(blob(sha256(onnx))), "the blob is stored under its digest");
  }

  @Test
  void aSecondUploadIsVersionTwoAndTheModelListsBoth() {
    String tenant = newTenant();
    String model = newModel("twice");
    upload(tenant, model, affine(1)).statusCode(201).body("version", equalTo(1));
    upload(tenant, model, affine(3)).statusCode(201).body("version", equalTo(2));

    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .statusCode(200)
        .body("name", equalTo(model))
        .body("owner", equalTo(tenant))
        .body("versions", contains(1, 2))
        .body("latestVersion", equalTo(2))
        .body("aliases", equalTo(Map.of()));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions/2", model).then()
        .statusCode(200)
        .body("version", equalTo(2))
        .body("digest", equalTo("sha256:" + sha256(affine(3))));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions", model).then()
        .statusCode(200)
        .body("version", contains(1, 2));
    Callers.tenantAdmin(tenant).get("/api/v1/models").then()
        .statusCode(200)
        .body("find { it.name == '" + model + "' }.versions", contains(1, 2))
        .body("find { it.name == 'all-minilm-l6-v2' }.owner", equalTo("public"));
  }

  @Test
  void aFileThatIsNotOnnxIsRefusedAndNothingIsStored() throws IOException {
    String tenant = newTenant();
    String model = newModel("garbage");
    byte[] garbage = "this is certainly not an ONNX model".getBytes(StandardCharsets.UTF_8);
    upload(tenant, model, garbage)
        .statusCode(422)
        .contentType(PROBLEM)
        .body("code", equalTo("invalid_model"))
        .body("field", equalTo("file"));

    assertFalse(Files.exists(blob(sha256(garbage))), "no blob for a refused file");
    assertEquals(0, stagedFiles(), "no staged file left behind");
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
  }

  @Test
  void aTruncatedOrUnrunnableModelIsRefusedAsInvalidModel() throws IOException {
    String tenant = newTenant();
    byte[] onnx = affine(5);
    byte[] truncated = java.util.Arrays.copyOf(onnx, onnx.length / 2);
    upload(tenant, newModel("truncated"), truncated)
        .statusCode(422).contentType(PROBLEM).body("code", equalTo("invalid_model")).body("field", equalTo("file"));

    // A well-formed ModelProto whose operator does not exist: only ONNX Runtime can tell.
    byte[] unknownOp = new OnnxModelBuilder()
        .input("x", OnnxModelBuilder.FLOAT, "N", 2)
        .node("NoSuchOperator", new String[] {"x"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, "N", 2)
        .build();
    upload(tenant, newModel("unknown-op"), unknownOp)
        .statusCode(422).contentType(PROBLEM).body("code", equalTo("invalid_model"))
        .body("detail", startsWith("file: ONNX Runtime cannot load it"));
    assertFalse(Files.exists(blob(sha256(unknownOp))));
    assertEquals(0, stagedFiles());
  }

  @Test
  void aModelReadingExternalDataFilesIsRefused() throws IOException {
    // ONNX Runtime would happily read this file into the initializer; the registry refuses before it gets there.
    Path secret = Files.createTempFile("registry-secret", ".bin");
    Files.write(secret, new byte[] {1, 2, 3, 4});
    try {
      upload(newTenant(), newModel("external"), ExternalDataModels.referencing(secret.toString()))
          .statusCode(422).contentType(PROBLEM)
          .body("code", equalTo("invalid_model")).body("field", equalTo("file"))
          .body("detail", containsString("external data"));
    } finally {
      Files.delete(secret);
    }
  }

  @Test
  void aModelOverTheSizeLimitIs413Problem() throws IOException {
    float[] big = new float[20_000]; // 80 KB of weights; the test limit is 64 KiB
    byte[] onnx = OnnxModelBuilder.affine(big, big);
    upload(newTenant(), newModel("big"), onnx)
        .statusCode(413)
        .contentType(PROBLEM)
        .body("code", equalTo("payload_too_large"))
        .body("field", equalTo("file"));
    assertFalse(Files.exists(blob(sha256(onnx))));
    assertEquals(0, stagedFiles());
  }

  @Test
  void aBodyOverTheHttpLimitIs413Problem() throws IOException {
    // Over the test's 1M quarkus.http.limits.max-body-size, sent with a Content-Length as curl and browsers do.
    String boundary = "infermint-test-boundary";
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(new byte[2 * 1024 * 1024]);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    Callers.tenantAdmin(newTenant())
        .contentType("multipart/form-data; boundary=" + boundary)
        .body(body.toByteArray())
        .post("/api/v1/models/{m}/versions", newModel("huge")).then()
        .statusCode(413)
        .contentType(PROBLEM)
        .body("code", equalTo("payload_too_large"));
    assertEquals(0, stagedFiles());
  }

  @Test
  void badNamesTasksAndMissingPartsAre422NamingTheField() {
    String tenant = newTenant();
    upload(tenant, "Not_Valid", affine(1))
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("validation_failed")).body("field", equalTo("model"));
    upload(tenant, "-leading-dash", affine(1)).statusCode(422).body("field", equalTo("model"));
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(1), "application/octet-stream")
        .multiPart("task", "translation")
        .post("/api/v1/models/{m}/versions", newModel("task")).then()
        .statusCode(422).contentType(PROBLEM).body("field", equalTo("task"));
    Callers.tenantAdmin(tenant)
        .multiPart("task", "generic")
        .post("/api/v1/models/{m}/versions", newModel("nofile")).then()
        .statusCode(422).contentType(PROBLEM).body("field", equalTo("file"));
  }

  @Test
  void anEmbeddingModelNeedsATokenizerTheTokenizersLibraryLoads() {
    String tenant = newTenant();
    String model = newModel("embed");
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(1), "application/octet-stream")
        .multiPart("task", "embedding")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(422).contentType(PROBLEM).body("code", equalTo("validation_failed"))
        .body("field", equalTo("tokenizer"));
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(1), "application/octet-stream")
        .multiPart("task", "embedding")
        .multiPart("tokenizer", "tokenizer.json", "{\"model\": {\"type\": ".getBytes(StandardCharsets.UTF_8),
            "application/json")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(422).contentType(PROBLEM).body("field", equalTo("tokenizer"));
    // A JSON object, but not a tokenizer: the Hugging Face tokenizers library (as in the workers) refuses it.
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(1), "application/octet-stream")
        .multiPart("task", "embedding")
        .multiPart("tokenizer", "tokenizer.json",
            "{\"version\": \"1.0\", \"model\": {\"type\": \"WordPiece\"}}".getBytes(StandardCharsets.UTF_8),
            "application/json")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(422).contentType(PROBLEM).body("code", equalTo("validation_failed"))
        .body("field", equalTo("tokenizer"))
        .body("detail", startsWith("tokenizer: is not a tokenizer.json the workers' Hugging Face tokenizers library"))
        .body("detail", containsString("missing field"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().statusCode(404);

    byte[] tokenizer = Uploads.wordLevelTokenizer();
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(1), "application/octet-stream")
        .multiPart("task", "embedding")
        .multiPart("tokenizer", "tokenizer.json", tokenizer, "application/json")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(201)
        .body("task", equalTo("embedding"))
        .body("tokenizerDigest", equalTo("sha256:" + sha256(tokenizer)));
    assertTrue(Files.exists(blob(sha256(tokenizer))));

    // A later upload without a task keeps the model's task, so it needs a tokenizer again.
    upload(tenant, model, affine(2)).statusCode(422).body("field", equalTo("tokenizer"));
  }

  @Test
  void labelsAreReadAsLinesOrAsAJsonArray() {
    String tenant = newTenant();
    String model = newModel("classes");
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(1), "application/octet-stream")
        .multiPart("task", "classification")
        .multiPart("labels", "cat\r\ndog\nbird\n")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(201).body("task", equalTo("classification")).body("labels", contains("cat", "dog", "bird"));
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(2), "application/octet-stream")
        .multiPart("labels", "labels.json", "[\"a\", \"b\"]".getBytes(StandardCharsets.UTF_8), "application/json")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(201).body("task", equalTo("classification")).body("labels", contains("a", "b"));
    Callers.tenantAdmin(tenant)
        .multiPart("file", "m.onnx", affine(3), "application/octet-stream")
        .multiPart("labels", "cat\n\ndog")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(422).contentType(PROBLEM).body("field", equalTo("labels"));
  }

  @Test
  void anotherTenantGets404ForEverythingOfTheModel() {
    String owner = newTenant();
    String other = newTenant();
    String model = newModel("private");
    upload(owner, model, affine(1)).statusCode(201);

    Callers.tenantAdmin(other).get("/api/v1/models/{m}", model).then()
        .statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
    Callers.tenantAdmin(other).get("/api/v1/models/{m}/versions/1", model).then().statusCode(404);
    Callers.tenantAdmin(other).get("/api/v1/models/{m}/versions", model).then().statusCode(404);
    Callers.tenantAdmin(other).delete("/api/v1/models/{m}/versions/1", model).then()
        .statusCode(404).contentType(PROBLEM);
    Callers.tenantAdmin(other).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/production", model).then().statusCode(404).contentType(PROBLEM);
    Callers.tenantAdmin(other).contentType("application/json").body(deployment(1, "cpu", 8, 5))
        .put("/api/v1/models/{m}/deployment", model).then().statusCode(404).contentType(PROBLEM);
    Callers.tenantAdmin(other).get("/api/v1/models").then()
        .statusCode(200).body("name", not(hasItem(model))).body("name", hasItem("all-minilm-l6-v2"));
    // The owner still sees it untouched.
    Callers.tenantAdmin(owner).get("/api/v1/models/{m}", model).then().statusCode(200).body("versions", contains(1));
  }

  @Test
  void theCatalogIsReadableButNotWritableByTenants() {
    String tenant = newTenant();
    Callers.as(tenant, "tenant-member").get("/api/v1/models/all-minilm-l6-v2").then()
        .statusCode(200).body("owner", equalTo("public"));
    Callers.tenantAdmin(tenant).delete("/api/v1/models/all-minilm-l6-v2/versions/1").then()
        .statusCode(404).contentType(PROBLEM);
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/all-minilm-l6-v2/aliases/production").then().statusCode(404);
    Callers.service().get("/internal/models/resolve?model=all-minilm-l6-v2").then()
        .statusCode(200).body("version", equalTo(1));
  }

  @Test
  void aPlatformAdminWithoutATenantCuratesThePublicCatalog() {
    String model = newModel("curated");
    Callers.as("", "platform-admin")
        .multiPart("file", "m.onnx", affine(9), "application/octet-stream")
        .post("/api/v1/models/{m}/versions", model).then()
        .statusCode(201).body("owner", equalTo("public"));
    Callers.tenantAdmin(newTenant()).get("/api/v1/models/{m}", model).then()
        .statusCode(200).body("owner", equalTo("public"));
    Callers.service().get("/internal/models/resolve?tenant={t}&model={m}", newTenant(), model).then()
        .statusCode(200).body("owner", equalTo("public"));
  }

  @Test
  void rolesAreEnforced() {
    String tenant = newTenant();
    given().get("/api/v1/models").then()
        .statusCode(401).contentType(PROBLEM).body("code", equalTo("unauthenticated"));
    given().header("Authorization", "Bearer not-a-token").get("/api/v1/models").then()
        .statusCode(401).contentType(PROBLEM).body("code", equalTo("unauthenticated"));
    Callers.as(tenant, "tenant-member")
        .multiPart("file", "m.onnx", affine(1), "application/octet-stream")
        .post("/api/v1/models/{m}/versions", newModel("member")).then()
        .statusCode(403).contentType(PROBLEM).body("code", equalTo("forbidden"));
    Callers.as(tenant, "inference").get("/api/v1/models").then().statusCode(403).contentType(PROBLEM);
    Callers.as(tenant, "tenant-member").get("/api/v1/models").then().statusCode(200);
  }

  @Test
  void aliasesPointAtExistingVersions() {
    String tenant = newTenant();
    String model = newModel("aliased");
    upload(tenant, model, affine(1)).statusCode(201);
    upload(tenant, model, affine(2)).statusCode(201);

    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/production", model).then()
        .statusCode(200).body("alias", equalTo("production")).body("version", equalTo(1));
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 7))
        .put("/api/v1/models/{m}/aliases/staging", model).then()
        .statusCode(422).contentType(PROBLEM).body("field", equalTo("version"));
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of())
        .put("/api/v1/models/{m}/aliases/staging", model).then()
        .statusCode(422).body("field", equalTo("version"));
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 2))
        .put("/api/v1/models/{m}/aliases/Prod_1", model).then()
        .statusCode(422).contentType(PROBLEM).body("field", equalTo("alias"));
    Callers.tenantAdmin(tenant).contentType("application/json").body("{\"version\": \"two\"}")
        .put("/api/v1/models/{m}/aliases/staging", model).then()
        .statusCode(400).contentType(PROBLEM).body("code", equalTo("malformed_request"));

    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .statusCode(200).body("aliases", equalTo(Map.of("production", 1)));
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/aliases/production", model).then().statusCode(204);
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().body("aliases", equalTo(Map.of()));
  }

  @Test
  void theDeploymentIsValidatedStoredAndShown() {
    String tenant = newTenant();
    String model = newModel("deployed");
    upload(tenant, model, affine(1)).statusCode(201);

    Callers.tenantAdmin(tenant).contentType("application/json").body(deployment(2, "gpu", 32, 5))
        .put("/api/v1/models/{m}/deployment", model).then()
        .statusCode(200)
        .body("replicas", equalTo(2)).body("device", equalTo("gpu"))
        .body("maxBatchSize", equalTo(32)).body("maxQueueDelayMs", equalTo(5));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .statusCode(200).body("deployment.device", equalTo("gpu")).body("deployment.replicas", equalTo(2))
        .body("deployment.instances", nullValue());

    // instances (batches one worker runs at once) is optional: stored when given, 1 to 16.
    Map<String, Object> withInstances = new java.util.HashMap<>(deployment(2, "gpu", 32, 5));
    withInstances.put("instances", 4);
    Callers.tenantAdmin(tenant).contentType("application/json").body(withInstances)
        .put("/api/v1/models/{m}/deployment", model).then()
        .statusCode(200).body("instances", equalTo(4)).body("maxBatchSize", equalTo(32));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .statusCode(200).body("deployment.instances", equalTo(4));
    // Out of range: 422 naming the field, as the other fields; not a number: 400 naming where the body broke.
    Map<Object, Integer> refused = Map.of(0, 422, 17, 422, -1, 422, "two", 400);
    refused.forEach((instances, status) -> {
      Map<String, Object> body = new java.util.HashMap<>(deployment(2, "gpu", 32, 5));
      body.put("instances", instances);
      Callers.tenantAdmin(tenant).contentType("application/json").body(body)
          .put("/api/v1/models/{m}/deployment", model).then().log().ifValidationFails()
          .statusCode(status).contentType(PROBLEM)
          .body("detail", containsString("instances"));
    });
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().body("deployment.instances", equalTo(4));

    Map<String, Object> noDevice = new java.util.HashMap<>(deployment(1, "cpu", 8, 5));
    noDevice.remove("device");
    Map<String, Map<String, Object>> bad = Map.of(
        "replicas", deployment(17, "cpu", 8, 5),
        "device", deployment(1, "tpu", 8, 5),
        "maxBatchSize", deployment(1, "cpu", 0, 5),
        "maxQueueDelayMs", deployment(1, "cpu", 8, 10_001));
    bad.forEach((field, body) -> Callers.tenantAdmin(tenant).contentType("application/json").body(body)
        .put("/api/v1/models/{m}/deployment", model).then()
        .statusCode(422).contentType(PROBLEM).body("code", equalTo("validation_failed")).body("field", equalTo(field)));
    Callers.tenantAdmin(tenant).contentType("application/json").body(noDevice)
        .put("/api/v1/models/{m}/deployment", model).then().statusCode(422).body("field", equalTo("device"));
    // Refused changes left the stored deployment as it was.
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().body("deployment.device", equalTo("gpu"))
        .body("deployment.instances", equalTo(4));
    // A PUT without instances gives it back to the worker's default.
    Callers.tenantAdmin(tenant).contentType("application/json").body(deployment(2, "gpu", 32, 5))
        .put("/api/v1/models/{m}/deployment", model).then().statusCode(200).body("instances", nullValue());
  }

  @Test
  void deletingAnAliasedVersionIs409AndAnUnusedOneGoesWithItsFileUnlessAnotherVersionSharesIt() {
    String tenant = newTenant();
    String model = newModel("deleted");
    byte[] first = affine(41);
    byte[] second = affine(42);
    upload(tenant, model, first).statusCode(201);
    upload(tenant, model, second).statusCode(201);
    upload(tenant, model, second).statusCode(201).body("version", equalTo(3));
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/production", model).then().statusCode(200);
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/canary", model).then().statusCode(200);

    // Aliases point at version 1: the delete is refused naming them, and nothing is deleted.
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/1", model).then()
        .statusCode(409).contentType(PROBLEM)
        .body("code", equalTo("version_in_use"))
        .body("aliases", contains("canary", "production"))
        .body("detail", equalTo("model '" + model + "' version 1 is in use (aliases canary, production): move or "
            + "remove those first; nothing was deleted"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .body("versions", contains(1, 2, 3)).body("aliases", equalTo(Map.of("canary", 1, "production", 1)));
    assertTrue(Files.exists(blob(sha256(first))), "a refused delete keeps the file");
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 3))
        .put("/api/v1/models/{m}/aliases/production", model).then().statusCode(200);
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/1", model).then()
        .statusCode(409).body("aliases", contains("canary"));
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/aliases/canary", model).then().statusCode(204);

    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/1", model).then().statusCode(204);
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions/1", model).then()
        .statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .body("versions", contains(2, 3)).body("aliases", equalTo(Map.of("production", 3)));
    assertFalse(Files.exists(blob(sha256(first))), "a file no version uses is deleted");

    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/2", model).then().statusCode(204);
    assertTrue(Files.exists(blob(sha256(second))), "version 3 still uses the same bytes");
    Callers.service().get("/internal/blobs/{hex}", sha256(second)).then().statusCode(200);

    // Version numbers are never reused.
    upload(tenant, model, affine(43)).statusCode(201).body("version", equalTo(4));
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/9", model).then().statusCode(404);
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions/latest", model).then().statusCode(404);
  }

  @Test
  void aTenantModelDoesNotAppearWithoutVersionsInResolveButStaysListed() {
    String tenant = newTenant();
    String model = newModel("emptied");
    upload(tenant, model, affine(7)).statusCode(201);
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/1", model).then().statusCode(204);
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then()
        .statusCode(200).body("versions", equalTo(List.of())).body("latestVersion", nullValue());
    Callers.service().get("/internal/models/resolve?tenant={t}&model={m}", tenant, model).then().statusCode(404);
  }

  private static Map<String, Object> deployment(int replicas, String device, int maxBatchSize, int maxQueueDelayMs) {
    return Map.of("replicas", replicas, "device", device, "maxBatchSize", maxBatchSize,
        "maxQueueDelayMs", maxQueueDelayMs);
  }

  private Path blob(String hex) {
    return Uploads.blob(config, hex);
  }

  private long stagedFiles() throws IOException {
    return Uploads.stagedFiles(config);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
