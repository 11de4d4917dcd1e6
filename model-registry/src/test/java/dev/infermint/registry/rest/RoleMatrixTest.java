package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
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

import dev.infermint.registry.service.Owners;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.RoleMatrix;

/**
 * Every management operation of the model registry as every kind of caller, against the "Model registry" tables in
 * docs/roles.md. Callers are asserted by headers beside a service token, as the gateway sends them. The first table
 * addresses tenant A's model, the second a model of the public catalog; destructive cases act on a version or alias
 * made for them alone.
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
    patch-model    | 404            | 200          | 403           | 200       | 403           | 404         | 401
    patch-version  | 404            | 200          | 403           | 200       | 403           | 404         | 401
    publish        | 201            | 403          | 403           | 403       | 403           | 403         | 401
    """;

  /**
   * The same operations on a model of the public catalog: every tenant reads it, only platform staff change it. A
   * tenant's write addresses its own model of that name, which it does not have (404); nothing of the catalog's
   * changes. (A tenant's upload of the name creates its own model, shadowing the catalog's for it alone:
   * CatalogPublishTest.)
   */
  static final String CATALOG_MATRIX = """
    operation      | platform-admin | tenant-admin | tenant-member | key-admin | key-inference | other-admin | anonymous
    get-model      | 200            | 200          | 200           | 200       | 403           | 200         | 401
    list-versions  | 200            | 200          | 200           | 200       | 403           | 200         | 401
    get-version    | 200            | 200          | 200           | 200       | 403           | 200         | 401
    patch-model    | 200            | 404          | 403           | 404       | 403           | 404         | 401
    patch-version  | 200            | 404          | 403           | 404       | 403           | 404         | 401
    delete-version | 204            | 404          | 403           | 404       | 403           | 404         | 401
    put-alias      | 200            | 404          | 403           | 404       | 403           | 404         | 401
    delete-alias   | 204            | 404          | 403           | 404       | 403           | 404         | 401
    put-deployment | 200            | 404          | 403           | 404       | 403           | 404         | 401
    """;

  private static final Map<Integer, String> CODES = Map.of(401, "unauthenticated", 403, "forbidden", 404, "not_found");

  /** Makes every uploaded file distinct. */
  private static final AtomicInteger SCALE = new AtomicInteger(1);

  private static String tenant;
  private static String otherTenant;
  private static String model;
  private static String publicModel;

  static Stream<Arguments> cases() {
    return RoleMatrix.cases(MATRIX);
  }

  static Stream<Arguments> catalogCases() {
    return RoleMatrix.cases(CATALOG_MATRIX);
  }

  @ParameterizedTest(name = "{0} as {1} -> {2}")
  @MethodSource("cases")
  void roleMatrix(String operation, String caller, int expected) {
    setUp();
    Response response = perform(operation, caller, model, fresh(operation, model, tenant));
    assertAnswer(operation, caller, expected, response);
    if (("upload".equals(operation) || "publish".equals(operation)) && "platform-admin".equals(caller)
        && expected == 201) {
      // The catalog is shared by every test: take the matrix's entry out of it again.
      Callers.service().delete("/api/v1/models/{m}/versions/{v}", (String) response.path("name"),
          (Integer) response.path("version")).then().statusCode(204);
    }
  }

  @ParameterizedTest(name = "catalog: {0} as {1} -> {2}")
  @MethodSource("catalogCases")
  void catalogMatrix(String operation, String caller, int expected) {
    setUp();
    String fresh = fresh(operation, publicModel, Owners.PUBLIC);
    String before = catalogState();
    Response response = perform(operation, caller, publicModel, fresh);
    assertAnswer(operation, caller, expected, response);
    if (expected >= 400) {
      assertEquals(before, catalogState(), operation + " as " + caller + " changed the catalog's model");
    }
  }

  private static void assertAnswer(String operation, String caller, int expected, Response response) {
    assertEquals(expected, response.statusCode(), operation + " as " + caller + ": " + response.asString());
    if (expected >= 400) {
      assertEquals(PROBLEM_JSON, response.contentType().split(";")[0], operation + " as " + caller);
      assertEquals(CODES.get(expected), response.jsonPath().getString("code"), operation + " as " + caller);
    }
  }

  /** @return the catalog model's answer and its versions', as platform staff reads them */
  private static String catalogState() {
    return Callers.platformAdmin().get("/api/v1/models/{m}", publicModel).then().statusCode(200).extract().asString()
        + Callers.platformAdmin().get("/api/v1/models/{m}/versions", publicModel).then().statusCode(200).extract()
            .asString();
  }

  /**
   * @param operation the row
   * @param target the model addressed
   * @param owner its owner: tenant A, or the catalog
   * @return what a destructive case acts on, made for it alone (a version number or an alias name); else the owner
   */
  private static String fresh(String operation, String target, String owner) {
    return switch (operation) {
      case "delete-version" -> String.valueOf(freshVersion(target, owner));
      case "delete-alias" -> freshAlias(target, owner);
      default -> owner;
    };
  }

  /**
   * @param operation the row
   * @param caller the column
   * @param target the model addressed
   * @param fresh what {@link #fresh} made for the case
   */
  private Response perform(String operation, String caller, String target, String fresh) {
    RequestSpecification request = request(caller);
    return switch (operation) {
      case "list-models" -> request.get("/api/v1/models");
      // Names are per owner: callers outside tenant A upload into a namespace of their own (the catalog for
      // platform staff), so they take a fresh name, lest A's name start resolving for them in later cases.
      case "upload" -> request.multiPart("file", "model.onnx", onnx(), "application/octet-stream")
          .post("/api/v1/models/{m}/versions", ofTenantA(caller) ? model : newModel("matrix-elsewhere"));
      case "get-model" -> request.get("/api/v1/models/{m}", target);
      case "list-versions" -> request.get("/api/v1/models/{m}/versions", target);
      case "get-version" -> request.get("/api/v1/models/{m}/versions/1", target);
      case "delete-version" -> request.delete("/api/v1/models/{m}/versions/{v}", target, fresh);
      case "put-alias" -> request.contentType(ContentType.JSON).body(Map.of("version", 1))
          .put("/api/v1/models/{m}/aliases/{a}", target, "staging");
      case "delete-alias" -> request.delete("/api/v1/models/{m}/aliases/{a}", target, fresh);
      case "put-deployment" -> request.contentType(ContentType.JSON)
          .body(Map.of("replicas", 1, "device", "cpu", "maxBatchSize", 8, "maxQueueDelayMs", 5))
          .put("/api/v1/models/{m}/deployment", target);
      case "patch-model" -> request.contentType(ContentType.JSON)
          .body(Map.of("description", "by " + caller, "tags", Map.of("by", caller)))
          .patch("/api/v1/models/{m}", target);
      case "patch-version" -> request.contentType(ContentType.JSON)
          .body(Map.of("description", "by " + caller, "tags", Map.of("by", caller)))
          .patch("/api/v1/models/{m}/versions/1", target);
      case "publish" -> request.contentType(ContentType.JSON)
          .body(Map.of("tenantId", fresh, "name", newModel("matrix-published")))
          .post("/api/v1/models/{m}/versions/1/publish", target);
      default -> throw new IllegalArgumentException(operation);
    };
  }

  private static RequestSpecification request(String caller) {
    return switch (caller) {
      case "platform-admin" -> Callers.platformAdmin();
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
    publicModel = newModel("matrix-catalog");
    admin(Owners.PUBLIC).multiPart("file", "model.onnx", onnx(), "application/octet-stream")
        .post("/api/v1/models/{m}/versions", publicModel).then().statusCode(201).body("owner", equalTo("public"));
    tenant = a;
  }

  /** The admin who manages the owner's models: A's tenant-admin, or platform staff for the catalog. */
  private static RequestSpecification admin(String owner) {
    return Owners.PUBLIC.equals(owner) ? Callers.platformAdmin() : Callers.tenantAdmin(owner);
  }

  /** @return the number of a version of the model uploaded for one case */
  private static int freshVersion(String target, String owner) {
    return admin(owner).multiPart("file", "model.onnx", onnx(), "application/octet-stream")
        .post("/api/v1/models/{m}/versions", target).then().statusCode(201).extract().path("version");
  }

  /** @return the name of an alias of the model set for one case */
  private static String freshAlias(String target, String owner) {
    String alias = "doomed-" + SCALE.incrementAndGet();
    admin(owner).contentType(ContentType.JSON).body(Map.of("version", 1))
        .put("/api/v1/models/{m}/aliases/{a}", target, alias).then().statusCode(200);
    return alias;
  }

  private static byte[] onnx() {
    float s = SCALE.incrementAndGet();
    return OnnxModelBuilder.affine(new float[] {s, 2 * s, 3 * s}, new float[] {1, 1, 1});
  }

}
