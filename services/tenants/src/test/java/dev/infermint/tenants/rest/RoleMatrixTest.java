package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static dev.infermint.tenants.rest.Fixtures.asUser;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static dev.infermint.tenants.rest.Fixtures.uniqueEmail;
import static dev.infermint.tenants.rest.Fixtures.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.admin.client.Keycloak;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.RoleMatrix;
import dev.infermint.testsupport.TestTokens;

/**
 * Every operation of the tenants service as every kind of caller, against the table in docs/roles.md. Users are real
 * Keycloak users with real tokens; API keys are asserted by the gateway's headers, as in production.
 */
@QuarkusTest
class RoleMatrixTest {

  /** The expected status of each operation (row) for each caller (column); the same table as docs/roles.md. */
  static final String MATRIX = """
    operation     | platform-admin | tenant-admin | tenant-member | key-admin | key-inference | other-admin | anonymous
    create-tenant | 201            | 403          | 403           | 403       | 403           | 403         | 401
    list-tenants  | 200            | 200          | 200           | 200       | 200           | 200         | 401
    get-tenant    | 200            | 200          | 200           | 200       | 403           | 404         | 401
    suspend       | 200            | 403          | 403           | 403       | 403           | 404         | 401
    reactivate    | 200            | 403          | 403           | 403       | 403           | 404         | 401
    delete-tenant | 204            | 403          | 403           | 403       | 403           | 404         | 401
    create-key    | 201            | 201          | 403           | 201       | 403           | 404         | 401
    list-keys     | 200            | 200          | 200           | 200       | 403           | 404         | 401
    revoke-key    | 204            | 204          | 403           | 204       | 403           | 404         | 401
    add-member    | 201            | 201          | 403           | 201       | 403           | 404         | 401
    list-members  | 200            | 200          | 200           | 200       | 403           | 404         | 401
    change-role   | 200            | 200          | 403           | 200       | 403           | 404         | 401
    remove-member | 204            | 204          | 403           | 204       | 403           | 404         | 401
    audit         | 200            | 200          | 403           | 200       | 403           | 404         | 401
    """;

  private static final Map<String, Map.Entry<String, Instant>> TOKENS = new HashMap<>();

  private static String tenant;
  private static String otherTenant;
  private static String adminEmail;
  private static String memberEmail;
  private static String subjectMember;

  @Inject
  Keycloak keycloak;

  static Stream<Arguments> cases() {
    return RoleMatrix.cases(MATRIX);
  }

  @ParameterizedTest(name = "{0} as {1} -> {2}")
  @MethodSource("cases")
  void roleMatrix(String operation, String caller, int expected) {
    setUp();
    Response response = perform(operation, request(caller), expected);
    assertEquals(expected, response.statusCode(), operation + " as " + caller + ": " + response.asString());
    if (expected >= 400) {
      assertEquals(PROBLEM_JSON, response.contentType().split(";")[0]);
    }
    if ("suspend".equals(operation) && expected < 400) {
      asService().post("/api/v1/tenants/" + tenant + "/reactivate").then().statusCode(200);
    }
  }

  private Response perform(String operation, RequestSpecification request, int expected) {
    String base = "/api/v1/tenants/" + tenant;
    boolean succeeds = expected < 400;
    return switch (operation) {
      case "create-tenant" -> {
        // Keycloak organization names are unique too: a fixed name would collide with an earlier run's.
        String slug = uniqueSlug("matrix-new");
        yield request.body(Map.of("name", "Matrix " + slug, "slug", slug)).post("/api/v1/tenants");
      }
      case "list-tenants" -> request.get("/api/v1/tenants");
      case "get-tenant" -> request.get(base);
      case "suspend" -> request.post(base + "/suspend");
      case "reactivate" -> request.post(base + "/reactivate");
      // Platform staff delete a tenant of their own making, the rest aim at the shared one.
      case "delete-tenant" -> request.delete(succeeds ? "/api/v1/tenants/" + createTenant("matrix-doomed") : base);
      case "create-key" -> request.body(Map.of("name", "matrix")).post(base + "/api-keys");
      case "list-keys" -> request.get(base + "/api-keys");
      case "revoke-key" -> request.delete(base + "/api-keys/" + asTenant(tenant, "tenant-admin")
          .body(Map.of("name", "to revoke")).post(base + "/api-keys").then().statusCode(201).extract().path("id"));
      case "add-member" -> request.body(Map.of("email", uniqueEmail("matrix-added"), "role", "tenant-member"))
          .post(base + "/members");
      case "list-members" -> request.get(base + "/members");
      case "change-role" -> request.body(Map.of("role", "tenant-member")).put(base + "/members/" + subjectMember);
      case "remove-member" -> request.delete(base + "/members/"
          + (succeeds ? addMember(uniqueEmail("matrix-removed"), "tenant-member") : subjectMember));
      case "audit" -> request.get(base + "/audit");
      default -> throw new IllegalArgumentException(operation);
    };
  }

  private RequestSpecification request(String caller) {
    return switch (caller) {
      case "platform-admin" -> asUser(token("admin", TestTokens::platformAdmin));
      case "tenant-admin" -> asUser(token(adminEmail, () -> KeycloakUsers.login(adminEmail)));
      case "tenant-member" -> asUser(token(memberEmail, () -> KeycloakUsers.login(memberEmail)));
      case "key-admin" -> asTenant(tenant, "tenant-admin");
      case "key-inference" -> asTenant(tenant, "inference");
      case "other-admin" -> asTenant(otherTenant, "tenant-admin");
      case "anonymous" -> given().contentType(ContentType.JSON);
      default -> throw new IllegalArgumentException(caller);
    };
  }

  /** Tokens live 5 minutes; one is reused for a minute so that the table does not log in 100 times. */
  private static String token(String user, Supplier<String> login) {
    Instant now = Instant.now();
    Map.Entry<String, Instant> cached = TOKENS.get(user);
    if (cached == null || cached.getValue().isBefore(now.minusSeconds(60))) {
      cached = Map.entry(login.get(), now);
      TOKENS.put(user, cached);
    }
    return cached.getKey();
  }

  private void setUp() {
    if (tenant != null) {
      return;
    }
    tenant = createTenant("matrix");
    otherTenant = createTenant("matrix-other");
    adminEmail = uniqueEmail("matrix-admin");
    KeycloakUsers.acceptInvitation(keycloak, addMember(adminEmail, "tenant-admin"));
    memberEmail = uniqueEmail("matrix-member");
    KeycloakUsers.acceptInvitation(keycloak, addMember(memberEmail, "tenant-member"));
    subjectMember = addMember(uniqueEmail("matrix-subject"), "tenant-member");
  }

  private static String addMember(String email, String role) {
    return asService().body(Map.of("email", email, "role", role)).post("/api/v1/tenants/" + tenant + "/members")
        .then().statusCode(201).extract().path("id");
  }

}
