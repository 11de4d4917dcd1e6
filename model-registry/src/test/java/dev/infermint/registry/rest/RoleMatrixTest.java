package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.RoleMatrix;

/**
 * Every management operation of the model registry as every kind of caller, against the "Model registry" table in
 * docs/roles.md. Callers are asserted by headers beside a service token, as the gateway sends them. Every case
 * addresses tenant A's model; destructive cases act on a version or alias made for them alone.
 */
@QuarkusTest
class RoleMatrixTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  /** The expected status of each operation (row) for each caller (column); the same table as docs/roles.md. */
  static final String MATRIX = """
    operation      | platform-admin | tenant-admin | tenant-member | key-admin | key-inference | other-admin | anonymous
    list-models    | 200            | 200          | 200           | 200       | 403           | 200         | 401
    upload         | 201            | 201          | 403           | 201       | 403           | 201         | 401
    get-model      | 404            | 200          | 200           | 200       | 403           | 404         | 401
    list-versions  | 404            | 200          | 200           | 200       | 403           | 404         | 401
    get-version    | 404            | 200          | 200           | 200       | 403           | 404         | 401
    delete-version | 404            | 204          | 403           | 204       | 403           | 404         | 401
    put-alias      | 404            | 200          | 403           | 200       | 403           | 404         | 401
    delete-alias   | 404            | 204          | 403           | 204       | 403           | 404         | 401
    put-deployment | 404            | 200          | 403           | 200       | 403           | 404         | 401
    """;

  private static final Map<Integer, String> CODES = Map.of(401, "unauthenticated", 403, "forbidden", 404, "not_found");

  /** Makes every uploaded file distinct. */
  private static final AtomicInteger SCALE = new AtomicInteger(1);

  private static String tenant;
  private static String otherTenant;
  private static String model;

  static Stream<Arguments> cases() {
    return RoleMatrix.cases(MATRIX);
  }

  @ParameterizedTest(name = "{0} as {1} -> {2}")
  @MethodSource("cases")
  void roleMatrix(String operation, String caller, int expected) {
    setUp();
    Response response = perform(operation, caller);
    assertEquals(expected, response.statusCode(), operation + " as " + caller + ": " + response.asString());
    if (expected >= 400) {
      assertEquals(PROBLEM_JSON, response.contentType().split(";")[0], operation + " as " + caller);
      assertEquals(CODES.get(expected), response.jsonPath().getString("code"), operation + " as " + caller);
    }
    if ("upload".equals(operation) && "platform-admin".equals(caller) && expected == 201) {
      // The catalog is shared by every test: take the matrix's entry out of it again.
      Callers.service().delete("/api/v1/models/{m}/versions/{v}", (String) response.path("name"),
          (Integer) response.path("version")).then().statusCode(204);
    }
  }

  private Response perform(String operation, String caller) {
    RequestSpecification request = request(caller);
    return switch (operation) {
      case "list-models" -> request.get("/api/v1/models");
      // Names are per owner: callers outside tenant A upload into a namespace of their own (the catalog for
      // platform staff), so they take a fresh name, lest A's name start resolving for them in later cases.
      case "upload" -> request.multiPart("file", "model.onnx", onnx(), "application/octet-stream")
          .post("/api/v1/models/{m}/versions", ofTenantA(caller) ? model : newModel("matrix-elsewhere"));
      case "get-model" -> request.get("/api/v1/models/{m}", model);
      case "list-versions" -> request.get("/api/v1/models/{m}/versions", model);
      case "get-version" -> request.get("/api/v1/models/{m}/versions/1", model);
      case "delete-version" -> request.delete("/api/v1/models/{m}/versions/{v}", model, freshVersion());
      case "put-alias" -> request.contentType(ContentType.JSON).body(Map.of("version", 1))
          .put("/api/v1/models/{m}/aliases/{a}", model, "staging");
      case "delete-alias" -> request.delete("/api/v1/models/{m}/aliases/{a}", model, freshAlias());
      case "put-deployment" -> request.contentType(ContentType.JSON)
          .body(Map.of("replicas", 1, "device", "cpu", "maxBatchSize", 8, "maxQueueDelayMs", 5))
          .put("/api/v1/models/{m}/deployment", model);
      default -> throw new IllegalArgumentException(operation);
    };
  }

  private static RequestSpecification request(String caller) {
    return switch (caller) {
      case "platform-admin" -> Callers.service().header("X-Infermint-Caller-Kind", "SERVICE")
          .header("X-Infermint-Subject", "platform-staff").header("X-Infermint-Roles", "platform-admin");
      case "tenant-admin" -> Callers.as(tenant, "tenant-admin");
      case "tenant-member" -> Callers.as(tenant, "tenant-member");
      case "key-admin" -> Callers.as(tenant, "tenant-admin");
      case "key-inference" -> Callers.as(tenant, "inference");
      case "other-admin" -> Callers.as(otherTenant, "tenant-admin");
      case "anonymous" -> given().log().ifValidationFails();
      default -> throw new IllegalArgumentException(caller);
    };
  }

  private static boolean ofTenantA(String caller) {
    return caller.startsWith("tenant-") || caller.startsWith("key-");
  }

  private static void setUp() {
    if (tenant != null) {
      return;
    }
    String a = newTenant();
    otherTenant = newTenant();
    model = newModel("matrix");
    Uploads.upload(a, model, onnx()).statusCode(201);
    tenant = a;
  }

  /** @return the number of a version of A's model uploaded for one case */
  private static int freshVersion() {
    return Uploads.upload(tenant, model, onnx()).statusCode(201).extract().path("version");
  }

  /** @return the name of an alias of A's model set for one case */
  private static String freshAlias() {
    String alias = "doomed-" + SCALE.incrementAndGet();
    Callers.tenantAdmin(tenant).contentType(ContentType.JSON).body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/{a}", model, alias).then().statusCode(200);
    return alias;
  }

  private static byte[] onnx() {
    float s = SCALE.incrementAndGet();
    return OnnxModelBuilder.affine(new float[] {s, 2 * s, 3 * s}, new float[] {1, 1, 1});
  }

}
