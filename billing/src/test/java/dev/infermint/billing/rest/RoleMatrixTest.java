package dev.infermint.billing.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.RoleMatrix;
import dev.infermint.testsupport.TenantUsers;
import dev.infermint.testsupport.TestTokens;

/**
 * Every management operation of the billing service as every kind of caller, against the table in docs/billing.md
 * ("Roles"), every caller with real credentials: the platform admin is Keycloak's {@code admin}; tenant A is a real
 * Keycloak organization whose users (one per realm role) log in with their passwords, so their tokens carry A's
 * {@code organization} claim as the tenants service's users' do; API keys are asserted by headers beside a real
 * service token, as the gateway does.
 */
@QuarkusTest
class RoleMatrixTest {

  /** Tenant A: a real Keycloak organization (its id is the tenant id), also known to {@link TenantsStandIn}. */
  private static String tenant;
  /** Real Keycloak tokens of A's users, one per realm role. */
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
  private static final String OTHER_TENANT = "t-other";
  private static final String PROBLEM_JSON = "application/problem+json";

  /** The expected status of each operation (row) for each caller (column); the same table as docs/billing.md. */
  static final String MATRIX = """
    operation        | platform-admin | tenant-admin | tenant-member | key-admin | key-inference | other-admin | anonymous
    list-plans       | 200            | 200          | 200           | 200       | 200           | 200         | 200
    get-plan         | 200            | 200          | 200           | 200       | 200           | 200         | 200
    usage            | 200            | 200          | 200           | 200       | 403           | 404         | 401
    change-plan      | 200            | 403          | 403           | 403       | 403           | 403         | 401
    checkout         | 200            | 200          | 403           | 200       | 403           | 404         | 401
    portal           | 200            | 200          | 403           | 200       | 403           | 404         | 401
    license-checkout | 200            | 200          | 403           | 200       | 403           | 404         | 401
    invoices         | 200            | 200          | 200           | 200       | 403           | 404         | 401
    reconciliation   | 200            | 403          | 403           | 403       | 403           | 403         | 401
    reconcile-now    | 200            | 403          | 403           | 403       | 403           | 403         | 401
    """;

  private static final Map<Integer, String> CODES = Map.of(401, "unauthenticated", 403, "forbidden",
      404, "not_found");

  static Stream<Arguments> cases() {
    return RoleMatrix.cases(MATRIX);
  }

  @ParameterizedTest(name = "{0} as {1} -> {2}")
  @MethodSource("cases")
  void roleMatrix(String operation, String caller, int expected) {
    TenantsStandIn.CALLS.clear();
    Response response = perform(operation, request(caller));
    String what = operation + " as " + caller + ": " + response.asString();
    assertEquals(expected, response.statusCode(), what);
    if (expected >= 400) {
      assertEquals(PROBLEM_JSON, response.contentType().split(";")[0], what);
      assertEquals(CODES.get(expected), response.path("code"), what);
    }
    if ("change-plan".equals(operation)) {
      // Refused callers are refused before billing asks the tenants service to change anything.
      assertEquals(expected == 200 ? 1 : 0, TenantsStandIn.planChangeCalls(tenant()).size(),
          what + " " + TenantsStandIn.CALLS);
    }
  }

  private static Response perform(String operation, RequestSpecification request) {
    return switch (operation) {
      case "list-plans" -> request.get("/api/v1/plans");
      case "get-plan" -> request.get("/api/v1/plans/pro");
      case "usage" -> request.get("/api/v1/tenants/" + tenant() + "/usage");
      case "change-plan" -> request.body(Map.of("plan", "pro")).put("/api/v1/tenants/" + tenant() + "/plan");
      case "checkout" -> request.body(Map.of("plan", "pro")).post("/api/v1/tenants/" + tenant() + "/checkout");
      case "portal" -> request.post("/api/v1/tenants/" + tenant() + "/billing-portal");
      case "license-checkout" -> request.body(Map.of("product", "minilm-offline"))
          .post("/api/v1/tenants/" + tenant() + "/license-checkout");
      case "invoices" -> request.get("/api/v1/tenants/" + tenant() + "/invoices");
      case "reconciliation" -> request.get("/api/v1/billing/reconciliation");
      case "reconcile-now" -> request.post("/api/v1/billing/reconciliation");
      default -> throw new IllegalArgumentException(operation);
    };
  }

  private static RequestSpecification request(String caller) {
    return switch (caller) {
      case "platform-admin" -> given().contentType(ContentType.JSON).auth().oauth2(TestTokens.platformAdmin());
      case "tenant-admin" -> asUser("tenant-admin");
      case "tenant-member" -> asUser("tenant-member");
      case "key-admin" -> apiKey(tenant(), "tenant-admin");
      case "key-inference" -> apiKey(tenant(), "inference");
      case "other-admin" -> apiKey(OTHER_TENANT, "tenant-admin");
      case "anonymous" -> given().contentType(ContentType.JSON);
      default -> throw new IllegalArgumentException(caller);
    };
  }

  /** An API key asserted by the gateway beside its service token. */
  private static RequestSpecification apiKey(String tenantId, String role) {
    return AsService.apiKey(tenantId, "key-" + role, role).contentType(ContentType.JSON);
  }

  /** A real Keycloak user of tenant A with one realm role, logged in once; its token carries A's organization. */
  private static RequestSpecification asUser(String role) {
    String token = TOKENS.computeIfAbsent(role, r -> TenantUsers.memberToken(tenant(), r));
    return given().contentType(ContentType.JSON).auth().oauth2(token);
  }

  private static synchronized String tenant() {
    if (tenant == null) {
      tenant = TenantUsers.organization("billing-roles");
      TenantsStandIn.add(tenant, "free");
    }
    return tenant;
  }
}
