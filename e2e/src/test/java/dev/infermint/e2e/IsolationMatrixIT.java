package dev.infermint.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * Broken object-level authorization, checked from the services' own OpenAPI documents: every management operation
 * they publish must be classified here, and every tenant-scoped one is called by tenant B (its tenant-admin's
 * Keycloak token, and its admin API key) with tenant A's ids. It must answer 404 as for an id that does not exist,
 * never reveal or change A's data, and no list may return A's rows. A new endpoint that is not classified below
 * fails this test, so none can skip the matrix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationMatrixIT {

  /** How an operation relates to tenants. */
  enum Scope {
    /** Addresses one tenant's object by id: B with A's ids must get 404, exactly as for unknown ids. */
    TENANT_OBJECT,
    /** Lists the caller's own rows: B's answer must contain none of A's. */
    TENANT_LIST,
    /** Platform-admin only: B gets 403 or 404 whatever the id, so the answer reveals nothing. */
    PLATFORM_ONLY,
    /** Writes into the caller's own namespace (e.g. B uploads a model of the same name): cannot reach A. */
    OWN_NAMESPACE,
    /** Public catalog information, the same for every caller. */
    PUBLIC,
    /**
     * Authorized by a licence key ({@code Authorization: License <key>}) alone: B's credentials are refused the same
     * way (401) whether the id is A's or unknown, so the answer reveals nothing.
     */
    LICENSE_KEY,
    /**
     * Authorized by the payment processor's signature alone ({@code Stripe-Signature}): B's credentials change
     * nothing, an unsigned call is refused with the same 4xx whatever it names.
     */
    SIGNED_WEBHOOK
  }

  /** Every management operation the services publish, "METHOD path" → scope. */
  private static final Map<String, Scope> MATRIX = new LinkedHashMap<>();

  static {
    // tenants
    MATRIX.put("POST /api/v1/tenants", Scope.PLATFORM_ONLY);
    MATRIX.put("GET /api/v1/tenants", Scope.TENANT_LIST);
    MATRIX.put("GET /api/v1/tenants/{tenantId}", Scope.TENANT_OBJECT);
    MATRIX.put("DELETE /api/v1/tenants/{tenantId}", Scope.PLATFORM_ONLY);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/suspend", Scope.PLATFORM_ONLY);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/reactivate", Scope.PLATFORM_ONLY);
    MATRIX.put("GET /api/v1/tenants/{tenantId}/api-keys", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/api-keys", Scope.TENANT_OBJECT);
    MATRIX.put("DELETE /api/v1/tenants/{tenantId}/api-keys/{keyId}", Scope.TENANT_OBJECT);
    MATRIX.put("GET /api/v1/tenants/{tenantId}/members", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/members", Scope.TENANT_OBJECT);
    MATRIX.put("PUT /api/v1/tenants/{tenantId}/members/{userId}", Scope.TENANT_OBJECT);
    MATRIX.put("DELETE /api/v1/tenants/{tenantId}/members/{userId}", Scope.TENANT_OBJECT);
    MATRIX.put("GET /api/v1/tenants/{tenantId}/audit", Scope.TENANT_OBJECT);
    // model-registry
    MATRIX.put("GET /api/v1/models", Scope.TENANT_LIST);
    MATRIX.put("GET /api/v1/models/{model}", Scope.TENANT_OBJECT);
    MATRIX.put("GET /api/v1/models/{model}/versions", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/models/{model}/versions", Scope.OWN_NAMESPACE);
    MATRIX.put("GET /api/v1/models/{model}/versions/{version}", Scope.TENANT_OBJECT);
    MATRIX.put("DELETE /api/v1/models/{model}/versions/{version}", Scope.TENANT_OBJECT);
    MATRIX.put("PUT /api/v1/models/{model}/aliases/{alias}", Scope.TENANT_OBJECT);
    MATRIX.put("DELETE /api/v1/models/{model}/aliases/{alias}", Scope.TENANT_OBJECT);
    MATRIX.put("PUT /api/v1/models/{model}/deployment", Scope.TENANT_OBJECT);
    MATRIX.put("GET /api/v1/models/{model}/deployment", Scope.TENANT_OBJECT);
    MATRIX.put("PATCH /api/v1/models/{model}", Scope.TENANT_OBJECT);
    MATRIX.put("PATCH /api/v1/models/{model}/versions/{version}", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/models/{model}/versions/{version}/publish", Scope.PLATFORM_ONLY);
    // billing
    MATRIX.put("GET /api/v1/plans", Scope.PUBLIC);
    MATRIX.put("GET /api/v1/plans/{planId}", Scope.PUBLIC);
    MATRIX.put("GET /api/v1/tenants/{tenantId}/usage", Scope.TENANT_OBJECT);
    MATRIX.put("PUT /api/v1/tenants/{tenantId}/plan", Scope.PLATFORM_ONLY);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/checkout", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/billing-portal", Scope.TENANT_OBJECT);
    MATRIX.put("GET /api/v1/tenants/{tenantId}/invoices", Scope.TENANT_OBJECT);
    MATRIX.put("GET /api/v1/billing/reconciliation", Scope.PLATFORM_ONLY);
    MATRIX.put("POST /api/v1/billing/reconciliation", Scope.PLATFORM_ONLY);
    MATRIX.put("POST /api/v1/stripe/webhook", Scope.SIGNED_WEBHOOK);
    MATRIX.put("GET /api/v1/license-products", Scope.PUBLIC);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/license-checkout", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/tenants/{tenantId}/license-purchases/{sessionId}/key", Scope.TENANT_OBJECT);
    // licences (billing)
    MATRIX.put("POST /api/v1/licenses", Scope.PLATFORM_ONLY);
    MATRIX.put("GET /api/v1/licenses", Scope.TENANT_LIST);
    MATRIX.put("GET /api/v1/licenses/public-key", Scope.PUBLIC);
    MATRIX.put("GET /api/v1/licenses/jwks.json", Scope.PUBLIC);
    MATRIX.put("POST /api/v1/licenses/validate", Scope.PUBLIC);
    MATRIX.put("POST /api/v1/licenses/signing-keys", Scope.PLATFORM_ONLY);
    MATRIX.put("GET /api/v1/licenses/{id}", Scope.TENANT_OBJECT);
    MATRIX.put("GET /api/v1/licenses/{id}/machines", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/licenses/{id}/machines", Scope.LICENSE_KEY);
    MATRIX.put("DELETE /api/v1/licenses/{id}/machines/{machineId}", Scope.TENANT_OBJECT);
    MATRIX.put("POST /api/v1/licenses/{id}/machines/{machineId}/heartbeat", Scope.LICENSE_KEY);
    MATRIX.put("POST /api/v1/licenses/{id}/machines/{machineId}/file", Scope.LICENSE_KEY);
    MATRIX.put("GET /api/v1/licenses/{id}/models/{model}", Scope.LICENSE_KEY);
    MATRIX.put("POST /api/v1/licenses/{id}/suspend", Scope.PLATFORM_ONLY);
    MATRIX.put("POST /api/v1/licenses/{id}/reinstate", Scope.PLATFORM_ONLY);
  }

  /** Request bodies for operations that need one: valid, so that only authorization can refuse them. */
  private static final Map<String, Object> BODIES = Map.ofEntries(
      Map.entry("POST /api/v1/tenants", Map.of("name", "Intruder", "slug", "intruder-co")),
      Map.entry("POST /api/v1/tenants/{tenantId}/api-keys", Map.of("name", "stolen", "scopes", List.of("admin"))),
      Map.entry("POST /api/v1/tenants/{tenantId}/members",
          Map.of("email", "intruder@example.com", "role", "tenant-admin")),
      Map.entry("PUT /api/v1/tenants/{tenantId}/members/{userId}", Map.of("role", "tenant-member")),
      Map.entry("PUT /api/v1/tenants/{tenantId}/plan", Map.of("plan", "enterprise")),
      Map.entry("POST /api/v1/tenants/{tenantId}/checkout", Map.of("plan", "pro")),
      Map.entry("POST /api/v1/tenants/{tenantId}/license-checkout", Map.of("product", "minilm-offline")),
      Map.entry("PUT /api/v1/models/{model}/aliases/{alias}", Map.of("version", 1)),
      Map.entry("PUT /api/v1/models/{model}/deployment",
          Map.of("replicas", 1, "device", "cpu", "maxBatchSize", 8, "maxQueueDelayMs", 5)),
      Map.entry("PATCH /api/v1/models/{model}", Map.of("description", "defaced", "tags", Map.of("owner", "b"))),
      Map.entry("PATCH /api/v1/models/{model}/versions/{version}", Map.of("description", "defaced")),
      Map.entry("POST /api/v1/licenses", Map.of("tenantId", UUID.randomUUID().toString(), "product", "stolen",
          "maxMachines", 5, "entitlements", List.of("model:secret-model"))),
      Map.entry("POST /api/v1/licenses/{id}/machines", Map.of("fingerprint", "intruder-machine")));

  private Stack stack;
  private String admin;
  private final Map<String, String> idsOfA = new LinkedHashMap<>();
  private final Map<String, String> unknownIds = new LinkedHashMap<>();
  private String tenantA;
  private String keyAId;
  private String tokenOfAdminB;
  private String keyOfB;
  private String adminKeyOfA;
  private String licenceOfA;

  @BeforeAll
  void arrange() {
    stack = SharedStack.get();
    RestAssured.baseURI = stack.gatewayUrl();
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    admin = TestTokens.password(stack.keycloakUrl(), "admin", "admin");
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    tenantA = tenant("iso-a-" + suffix);
    String tenantB = tenant("iso-b-" + suffix);
    Response keyA = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "a", "scopes", List.of("inference", "admin")))
        .post("/api/v1/tenants/{t}/api-keys", tenantA).then().statusCode(201).extract().response();
    keyAId = keyA.path("id");
    adminKeyOfA = keyA.path("key");
    keyOfB = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "b", "scopes", List.of("inference", "admin")))
        .post("/api/v1/tenants/{t}/api-keys", tenantB).then().statusCode(201).extract().path("key");
    String memberOfA = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("email", "member-a-" + suffix + "@example.com", "role", "tenant-member"))
        .post("/api/v1/tenants/{t}/members", tenantA).then().statusCode(201).extract().path("id");
    String adminOfB = "admin-b-" + suffix + "@example.com";
    String adminOfBId = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("email", adminOfB, "role", "tenant-admin"))
        .post("/api/v1/tenants/{t}/members", tenantB).then().statusCode(201).extract().path("id");
    tokenOfAdminB = Keycloak.loginAsInvitedUser(stack, adminOfBId, adminOfB);
    given().auth().oauth2(adminKeyOfA)
        .multiPart("file", "m.onnx", OnnxModelBuilder.affine(new float[] {1, 2}, new float[] {0, 0}),
            "application/octet-stream")
        .post("/api/v1/models/{m}/versions", "secret-model").then().statusCode(201);
    given().auth().oauth2(adminKeyOfA).contentType(ContentType.JSON).body(Map.of("version", 1))
        .put("/api/v1/models/secret-model/aliases/production").then().statusCode(200);

    Response licence = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("tenantId", tenantA, "product", "secret-product", "maxMachines", 2,
            "entitlements", List.of("model:secret-model")))
        .post("/api/v1/licenses").then().statusCode(201).extract().response();
    licenceOfA = licence.path("id");
    String machineOfA = given().header("Authorization", "License " + licence.path("key"))
        .contentType(ContentType.JSON).body(Map.of("fingerprint", "a-machine-" + suffix))
        .post("/api/v1/licenses/{id}/machines", licenceOfA).then().statusCode(201).extract().path("id");

    idsOfA.putAll(Map.of("tenantId", tenantA, "keyId", keyAId, "userId", memberOfA, "model", "secret-model",
        "version", "1", "alias", "production", "planId", "free"));
    idsOfA.putAll(Map.of("id", licenceOfA, "machineId", machineOfA, "sessionId", "cs_test_" + suffix));
    unknownIds.putAll(Map.of("tenantId", UUID.randomUUID().toString(), "keyId", UUID.randomUUID().toString(),
        "userId", UUID.randomUUID().toString(), "model", "no-such-model-" + suffix, "version", "1",
        "alias", "production", "planId", "free"));
    unknownIds.putAll(Map.of("id", UUID.randomUUID().toString(), "machineId", UUID.randomUUID().toString(),
        "sessionId", "cs_test_unknown"));
  }

  @Test
  void everyPublishedOperationIsInTheMatrixAndTheMatrixHasNoStaleRows() {
    TreeSet<String> published = new TreeSet<>();
    for (String service : List.of("tenants", "model-registry", "billing")) {
      Map<String, Map<String, Object>> paths = given().baseUri(stack.url(service)).accept(ContentType.JSON)
          .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath().getMap("paths");
      paths.forEach((path, ops) -> ops.keySet().stream()
          .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m))
          .filter(m -> path.startsWith("/api/"))
          .forEach(m -> published.add(m.toUpperCase() + " " + path)));
    }
    List<String> unclassified = published.stream().filter(op -> !MATRIX.containsKey(op)).toList();
    assertTrue(unclassified.isEmpty(), "Operations missing from the isolation matrix: " + unclassified);
    List<String> stale = MATRIX.keySet().stream().filter(op -> !published.contains(op)).toList();
    assertTrue(stale.isEmpty(), "Matrix rows no service publishes: " + stale);
  }

  @Test
  void tenantBGets404OnEveryObjectOfTenantAAsIfItDidNotExist() {
    List<String> leaks = new ArrayList<>();
    MATRIX.forEach((op, scope) -> {
      if (scope != Scope.TENANT_OBJECT && scope != Scope.PLATFORM_ONLY && scope != Scope.LICENSE_KEY
          && scope != Scope.SIGNED_WEBHOOK) {
        return;
      }
      for (Map.Entry<String, RequestSpecification> as : callersOfB().entrySet()) {
        int withAsIds = call(as.getValue(), op, idsOfA).statusCode();
        int withUnknownIds = call(callersOfB().get(as.getKey()), op, unknownIds).statusCode();
        boolean ok = switch (scope) {
          case TENANT_OBJECT -> withAsIds == 404;
          case LICENSE_KEY -> withAsIds == 401 && withUnknownIds == 401;
          case SIGNED_WEBHOOK -> withAsIds >= 400 && withAsIds < 500 && withAsIds == withUnknownIds;
          default -> (withAsIds == 403 || withAsIds == 404) && withAsIds == withUnknownIds;
        };
        if (!ok) {
          leaks.add(op + " as " + as.getKey() + " → " + withAsIds + " (unknown ids → " + withUnknownIds + ")");
        }
      }
    });
    assertTrue(leaks.isEmpty(), "Tenant B reached tenant A's objects:\n" + String.join("\n", leaks));
    // Nothing of A changed: its key is still active, it has no new keys or members, its model and alias stand.
    List<Map<String, Object>> keys = given().auth().oauth2(admin).get("/api/v1/tenants/{t}/api-keys", tenantA)
        .then().statusCode(200).extract().path("$");
    assertEquals(1, keys.size(), "keys of A: " + keys);
    assertEquals("active", keys.get(0).get("status"));
    List<String> members = given().auth().oauth2(admin).get("/api/v1/tenants/{t}/members", tenantA)
        .then().statusCode(200).extract().path("email");
    assertEquals(1, members.size(), "members of A: " + members);
    given().auth().oauth2(adminKeyOfA).get("/api/v1/models/secret-model/versions/1").then().statusCode(200);
    // A's licence still holds exactly its one machine and is active.
    given().auth().oauth2(admin).get("/api/v1/licenses/{id}", licenceOfA).then().statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("ACTIVE"));
    List<Object> machines = given().auth().oauth2(admin).get("/api/v1/licenses/{id}/machines", licenceOfA)
        .then().statusCode(200).extract().path("$");
    assertEquals(1, machines.size(), "machines of A's licence: " + machines);
  }

  @Test
  void noListReturnsAnotherTenantsRows() {
    for (Map.Entry<String, RequestSpecification> as : callersOfB().entrySet()) {
      String tenants = as.getValue().get("/api/v1/tenants").then().statusCode(200).extract().asString();
      assertFalse(tenants.contains(tenantA), as.getKey() + " listed tenant A: " + tenants);
      String models = callersOfB().get(as.getKey()).get("/api/v1/models").then().statusCode(200).extract()
          .asString();
      assertFalse(models.contains("secret-model"), as.getKey() + " listed A's model: " + models);
      String licences = callersOfB().get(as.getKey()).get("/api/v1/licenses").then().statusCode(200).extract()
          .asString();
      assertFalse(licences.contains(licenceOfA), as.getKey() + " listed A's licence: " + licences);
    }
    MATRIX.forEach((op, scope) -> {
      if (scope == Scope.TENANT_LIST) {
        assertTrue(List.of("GET /api/v1/tenants", "GET /api/v1/models", "GET /api/v1/licenses").contains(op),
            "list not checked: " + op);
      }
    });
  }

  private Map<String, RequestSpecification> callersOfB() {
    Map<String, RequestSpecification> callers = new LinkedHashMap<>();
    callers.put("B's tenant-admin token", given().auth().oauth2(tokenOfAdminB));
    callers.put("B's admin API key", given().auth().oauth2(keyOfB));
    return callers;
  }

  private static Response call(RequestSpecification spec, String op, Map<String, String> ids) {
    String method = op.substring(0, op.indexOf(' '));
    String path = op.substring(op.indexOf(' ') + 1);
    for (Map.Entry<String, String> id : ids.entrySet()) {
      path = path.replace("{" + id.getKey() + "}", id.getValue());
    }
    if (path.contains("{")) {
      fail("No id for a parameter of " + op);
    }
    Object body = BODIES.get(op);
    if (body == null && (method.equals("POST") || method.equals("PUT"))) {
      body = Map.of(); // a well-formed body, so that only authorization decides
    }
    if (body != null) {
      spec = spec.contentType(ContentType.JSON).body(body);
    }
    return spec.request(method, path);
  }

  private String tenant(String slug) {
    return given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", slug, "slug", slug))
        .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
  }
}
