package dev.infermint.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.infermint.stack.Ports;
import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * The platform end to end, started the way {@code ./infermint up} starts it: real PostgreSQL, real Keycloak (the
 * test run's shared one when {@code INFERMINT_TEST_KEYCLOAK_URL} is set), every service as its own process, all
 * calls through the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {

  private static final String CATALOG_MODEL = "all-minilm-l6-v2";

  private Stack stack;
  private String admin;
  private String tenantA;
  private String tenantB;
  private String keyA;
  private String keyB;
  private String keyBId;
  /** Inference calls of tenant A that the gateway admitted (authenticated and within quota). */
  private int admittedA;

  @BeforeAll
  void startStack() {
    stack = SharedStack.get();
    RestAssured.baseURI = stack.gatewayUrl();
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }

  @Test
  @Order(1)
  void adminGetsATokenFromKeycloak() {
    admin = TestTokens.password(stack.keycloakUrl(), "admin", "admin");
    assertNotNull(admin);
  }

  @Test
  @Order(2)
  void adminCreatesTwoTenantsWithAKeyEach() {
    tenantA = createTenant("acme-e2e", "Acme");
    tenantB = createTenant("globex-e2e", "Globex");
    keyA = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "ci", "scopes", List.of("inference", "admin")))
        .post("/api/v1/tenants/{id}/api-keys", tenantA)
        .then().statusCode(201).body("key", startsWith("imk_")).extract().path("key");
    Response b = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "ci", "scopes", List.of("inference", "admin")))
        .post("/api/v1/tenants/{id}/api-keys", tenantB);
    b.then().statusCode(201).header("X-Request-Id", notNullValue());
    keyB = b.path("key");
    keyBId = b.path("id");
  }

  @Test
  @Order(3)
  void embeddingsOfTheCatalogModelKeepMeaning() {
    Response r = given().auth().oauth2(keyA).contentType(ContentType.JSON)
        .body(Map.of("model", CATALOG_MODEL,
            "input", List.of("a cat sits on the mat", "a kitten is on the rug", "stock prices fell")))
        .post("/v1/embeddings");
    admittedA++;
    r.then().statusCode(200).header("X-RateLimit-Limit", notNullValue())
        .header("X-RateLimit-Remaining", notNullValue()).header("X-RateLimit-Reset", notNullValue())
        .body("object", equalTo("list")).body("data.size()", equalTo(3));
    List<List<Float>> vectors = r.path("data.embedding");
    assertEquals(384, vectors.get(0).size());
    double catKitten = cosine(vectors.get(0), vectors.get(1));
    double catStocks = cosine(vectors.get(0), vectors.get(2));
    assertTrue(catKitten > catStocks, "cat~kitten " + catKitten + " should beat cat~stocks " + catStocks);
    assertTrue((int) r.path("usage.prompt_tokens") > 0);
  }

  @Test
  @Order(4)
  void oipInferenceOnTheCatalogModel() {
    List<Long> ids = List.of(101L, 1037L, 4937L, 7719L, 2006L, 1996L, 13523L, 102L);
    List<Long> ones = ids.stream().map(i -> 1L).toList();
    List<Long> zeros = ids.stream().map(i -> 0L).toList();
    Response r = given().auth().oauth2(keyA).contentType(ContentType.JSON)
        .body(Map.of("inputs", List.of(
            Map.of("name", "input_ids", "shape", List.of(1, ids.size()), "datatype", "INT64", "data", ids),
            Map.of("name", "attention_mask", "shape", List.of(1, ids.size()), "datatype", "INT64", "data", ones),
            Map.of("name", "token_type_ids", "shape", List.of(1, ids.size()), "datatype", "INT64", "data",
                zeros))))
        .post("/v2/models/{m}/infer", CATALOG_MODEL);
    admittedA++;
    r.then().statusCode(200).body("model_name", equalTo(CATALOG_MODEL))
        .body("outputs.find { it.name == 'last_hidden_state' }.shape", equalTo(List.of(1, ids.size(), 384)));
  }

  @Test
  @Order(5)
  void tenantUploadsItsOwnModelAndGetsTheRightNumbers() {
    byte[] onnx = OnnxModelBuilder.affine(new float[] {2, 3, 4}, new float[] {1, -1, 0.5f});
    given().auth().oauth2(keyA).multiPart("file", "affine.onnx", onnx, "application/octet-stream")
        .multiPart("task", "generic")
        .post("/api/v1/models/{m}/versions", "affine")
        .then().statusCode(201).body("version", equalTo(1)).body("digest", startsWith("sha256:"));
    Response r = given().auth().oauth2(keyA).contentType(ContentType.JSON)
        .body(Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(2, 3), "datatype", "FP32",
            "data", List.of(List.of(1, 2, 3), List.of(-1, 0, 2))))))
        .post("/v2/models/affine/infer");
    admittedA++;
    r.then().statusCode(200).body("outputs[0].name", equalTo("y"))
        .body("outputs[0].shape", equalTo(List.of(2, 3)));
    List<Float> y = r.path("outputs[0].data");
    List<Float> expected = List.of(3f, 5f, 12.5f, -1f, -1f, 8.5f);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), y.get(i), 1e-5, "y[" + i + "]");
    }
  }

  @Test
  @Order(6)
  void anotherTenantCannotSeeThatModel() {
    given().auth().oauth2(keyB).get("/v2/models/affine")
        .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("not_found"));
    given().auth().oauth2(keyB).contentType(ContentType.JSON)
        .body(Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 3), "datatype", "FP32",
            "data", List.of(1, 2, 3)))))
        .post("/v2/models/affine/infer")
        .then().statusCode(404).contentType("application/problem+json");
    given().auth().oauth2(keyB).get("/api/v1/models/affine").then().statusCode(404);
  }

  @Test
  @Order(7)
  void pastThePerMinuteLimitTheGatewayAnswers429() {
    Map<String, Object> body = Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 3),
        "datatype", "FP32", "data", List.of(1, 2, 3))));
    for (int i = 0; i < 200; i++) {
      Response r = given().auth().oauth2(keyA).contentType(ContentType.JSON).body(body)
          .post("/v2/models/affine/infer");
      if (r.statusCode() == 429) {
        r.then().contentType("application/problem+json").body("code", equalTo("rate_limited"))
            .header("Retry-After", notNullValue()).header("X-RateLimit-Remaining", equalTo("0"))
            .header("X-Request-Id", notNullValue());
        assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1);
        return;
      }
      assertEquals(200, r.statusCode(), "call " + i + " before the limit");
      admittedA++;
    }
    fail("No 429 after 200 calls");
  }

  @Test
  @Order(8)
  void aPlanChangeReachesTheGatewayWithinFiveSeconds() {
    given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("plan", "pro"))
        .put("/api/v1/tenants/{id}/plan", tenantA)
        .then().statusCode(200).body("plan", equalTo("pro"));
    // The e2e stack may configure plan pro's limit (SharedStack): the gateway must enforce what billing lists.
    Integer proPerMinute = given().auth().oauth2(admin).get("/api/v1/plans")
        .then().statusCode(200).extract().path("find { it.id == 'pro' }.limits.requestsPerMinute");
    String proLimit = String.valueOf(proPerMinute);
    Map<String, Object> body = Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 3),
        "datatype", "FP32", "data", List.of(1, 2, 3))));
    AtomicReference<Response> last = new AtomicReference<>();
    await("the gateway applies plan pro's limit").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          Response call = given().auth().oauth2(keyA).contentType(ContentType.JSON).body(body)
              .post("/v2/models/affine/infer");
          if (call.statusCode() == 200) {
            admittedA++;
          }
          last.set(call);
          return proLimit.equals(call.header("X-RateLimit-Limit"));
        });
    Response r = last.get();
    // The free plan's 60 calls were used up; the pro plan admits at once, with its own limit.
    assertEquals(200, r.statusCode());
    assertEquals(proLimit, r.header("X-RateLimit-Limit"));
  }

  @Test
  @Order(10)
  void usageListsExactlyTheAdmittedInferenceCalls() {
    // Metering is asynchronous: billing stores the stream's entries a moment after the calls.
    long requests = await("usage rows of tenant A").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250)).until(() -> {
          Response r = given().auth().oauth2(admin).get("/api/v1/tenants/{id}/usage?groupBy=model", tenantA);
          r.then().statusCode(200);
          List<Integer> perModel = r.path("rows.requests");
          return perModel.stream().mapToLong(Integer::longValue).sum();
        }, n -> n == admittedA);
    assertEquals(admittedA, requests, "usage rows of tenant A");
    // The model upload of step 5 reached A's audit log through the registry's outbox.
    List<String> actions = await("the upload in A's audit log").atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> given().auth().oauth2(admin).get("/api/v1/tenants/{id}/audit", tenantA)
            .then().statusCode(200).extract().<List<String>>path("events.action"),
            a -> a.contains("model.version_uploaded"));
    assertTrue(actions.contains("model.version_uploaded"), "audit of A: " + actions);
    assertTrue(actions.contains("api_key.created"), "audit of A: " + actions);
    // Another tenant cannot read A's usage.
    given().auth().oauth2(keyB).get("/api/v1/tenants/{id}/usage", tenantA).then().statusCode(404);
  }

  @Test
  @Order(11)
  void aRevokedKeyIsRefusedByEveryGatewayWithinFiveSeconds() throws Exception {
    // A second gateway process, as when several replicas run; both know the key before it is revoked.
    String second = stack.startReplica("gateway", Ports.free()).url();
    given().auth().oauth2(keyB).get("/v1/models").then().statusCode(200);
    given().baseUri(second).auth().oauth2(keyB).get("/v1/models").then().statusCode(200);
    given().auth().oauth2(admin).delete("/api/v1/tenants/{t}/api-keys/{k}", tenantB, keyBId)
        .then().statusCode(204);
    // The gateways cache keys for 60 s in this stack: only the push channel can make this pass.
    await("the revoked key is refused by both gateways").atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> given().auth().oauth2(keyB).get("/v1/models").statusCode() == 401
            && given().baseUri(second).auth().oauth2(keyB).get("/v1/models").statusCode() == 401);
    int first = given().auth().oauth2(keyB).get("/v1/models").statusCode();
    int other = given().baseUri(second).auth().oauth2(keyB).get("/v1/models").statusCode();
    assertEquals(401, first, "revoked key still accepted by the first gateway after 5 s");
    assertEquals(401, other, "revoked key still accepted by the second gateway after 5 s");
    given().baseUri(second).auth().oauth2(keyB).get("/v1/models").then().statusCode(401)
        .contentType("application/problem+json").body("code", equalTo("unauthenticated"));
  }

  @Test
  @Order(12)
  void internalCallsNeedAServiceTokenFromKeycloak() {
    // Straight to each service, past the gateway: what an attacker inside the network would try.
    String service = TestTokens.service(stack.keycloakUrl(), stack.secret("services-client-secret"));
    List<String> internal = List.of(stack.url("tenants") + "/internal/tenants/" + tenantA,
        stack.url("model-registry") + "/internal/models?tenant=" + tenantA,
        stack.url("inference-worker") + "/v1/models");
    internal.forEach(url -> {
      given().get(url).then().statusCode(401).contentType("application/problem+json");
      // Even a platform admin's token is a person's, not a service's.
      given().auth().oauth2(admin).header("X-Infermint-Caller-Kind", "API_KEY")
          .header("X-Infermint-Tenant-Id", tenantA).get(url).then().statusCode(403);
      given().auth().oauth2(service).header("X-Infermint-Caller-Kind", "API_KEY")
          .header("X-Infermint-Tenant-Id", tenantA).header("X-Infermint-Roles", "tenant-admin,inference")
          .get(url).then().statusCode(200);
    });
  }

  private String createTenant(String slug, String name) {
    return given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", name, "slug", slug))
        .post("/api/v1/tenants")
        .then().statusCode(201).body("slug", equalTo(slug)).body("plan", equalTo("free"))
        .extract().path("id");
  }

  private static double cosine(List<Float> a, List<Float> b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.size(); i++) {
      dot += a.get(i) * b.get(i);
      na += a.get(i) * a.get(i);
      nb += b.get(i) * b.get(i);
    }
    return dot / Math.sqrt(na * nb);
  }
}
