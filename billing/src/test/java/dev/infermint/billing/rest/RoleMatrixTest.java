package dev.infermint.billing.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.infermint.auth.Caller;
import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.RoleMatrix;
import dev.infermint.testsupport.TestTokens;

/**
 * Every management operation of the billing service as every kind of caller, against the table in docs/billing.md
 * ("Roles"). API keys are asserted by headers beside a real service token, as the gateway does; the platform admin
 * is Keycloak's {@code admin}. Tenant users would need organizations, which only the tenants service makes, so they
 * are the request's {@link Caller} as {@code CallerResolver} builds it from a verified token (kind USER, the
 * organization as tenant, realm roles), installed for the one request.
 */
@QuarkusTest
class RoleMatrixTest {

  /** Tenant A: exists in {@link TenantsStandIn}. */
  private static final String TENANT = "t-known";
  private static final String OTHER_TENANT = "t-other";
  private static final String PROBLEM_JSON = "application/problem+json";

  /** The expected status of each operation (row) for each caller (column); the same table as docs/billing.md. */
  static final String MATRIX = """
    operation   | platform-admin | tenant-admin | tenant-member | key-admin | key-inference | other-admin | anonymous
    list-plans  | 200            | 200          | 200           | 200       | 200           | 200         | 200
    get-plan    | 200            | 200          | 200           | 200       | 200           | 200         | 200
    usage       | 200            | 200          | 200           | 200       | 403           | 404         | 401
    change-plan | 200            | 403          | 403           | 403       | 403           | 403         | 401
    checkout    | 200            | 200          | 403           | 200       | 403           | 404         | 401
    portal      | 200            | 200          | 403           | 200       | 403           | 404         | 401
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
      assertEquals(expected == 200 ? 1 : 0, TenantsStandIn.planChangeCalls(TENANT).size(),
          what + " " + TenantsStandIn.CALLS);
    }
  }

  private static Response perform(String operation, RequestSpecification request) {
    return switch (operation) {
      case "list-plans" -> request.get("/api/v1/plans");
      case "get-plan" -> request.get("/api/v1/plans/pro");
      case "usage" -> request.get("/api/v1/tenants/" + TENANT + "/usage");
      case "change-plan" -> request.body(Map.of("plan", "pro")).put("/api/v1/tenants/" + TENANT + "/plan");
      case "checkout" -> request.body(Map.of("plan", "pro")).post("/api/v1/tenants/" + TENANT + "/checkout");
      case "portal" -> request.post("/api/v1/tenants/" + TENANT + "/billing-portal");
      default -> throw new IllegalArgumentException(operation);
    };
  }

  private static RequestSpecification request(String caller) {
    return switch (caller) {
      case "platform-admin" -> given().contentType(ContentType.JSON).auth().oauth2(TestTokens.platformAdmin());
      case "tenant-admin" -> asUser(TENANT, "tenant-admin");
      case "tenant-member" -> asUser(TENANT, "tenant-member");
      case "key-admin" -> apiKey(TENANT, "tenant-admin");
      case "key-inference" -> apiKey(TENANT, "inference");
      case "other-admin" -> apiKey(OTHER_TENANT, "tenant-admin");
      case "anonymous" -> given().contentType(ContentType.JSON);
      default -> throw new IllegalArgumentException(caller);
    };
  }

  /** An API key asserted by the gateway beside its service token. */
  private static RequestSpecification apiKey(String tenantId, String role) {
    return AsService.apiKey(tenantId, "key-" + role, role).contentType(ContentType.JSON);
  }

  /** A Keycloak user of the tenant with one realm role; the mock lasts until the end of this test. */
  private static RequestSpecification asUser(String tenantId, String role) {
    QuarkusMock.installMockForType(new Caller(Caller.Kind.USER, "user-" + role, tenantId, Set.of(role)),
        Caller.class);
    return given().contentType(ContentType.JSON);
  }

}
