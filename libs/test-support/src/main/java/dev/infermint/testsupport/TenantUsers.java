package dev.infermint.testsupport;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Real tenant users in the test Keycloak, for services' module tests that need Keycloak tokens of tenant roles but
 * do not run the tenants service: an organization (what the tenants service makes for a tenant; its id is the tenant
 * id) and users with one realm role each, members of it. Calls Keycloak's admin REST API with the services' token
 * ({@code infermint-services} holds the realm-management roles the tenants service uses).
 */
public final class TenantUsers {

  private static final String ADMIN = "/admin/realms/infermint";
  private static final String PASSWORD = "Tenant-user-password-1";

  private TenantUsers() {
  }

  /**
   * @param name the organization's name; its alias is made from it and a random suffix, so names may repeat
   * @return the new organization's id (the tenant id in tokens' {@code organization} claim)
   */
  public static String organization(String name) {
    String alias = name.toLowerCase().replaceAll("[^a-z0-9]+", "-") + "-" + UUID.randomUUID().toString().substring(0, 8);
    Response created = admin().body(Map.of("name", alias, "alias", alias)).post(ADMIN + "/organizations");
    created.then().statusCode(201);
    return lastSegment(created.header("Location"));
  }

  /**
   * Creates a user with one realm role, makes it a member of the organization, and logs it in.
   *
   * @param organizationId the organization (tenant)
   * @param role a realm role, e.g. {@code tenant-admin}
   * @return a fresh access token of the user, with the {@code organization} claim
   */
  public static String memberToken(String organizationId, String role) {
    String username = "u-" + UUID.randomUUID().toString().substring(0, 12);
    Response user = admin().body(Map.of("username", username, "email", username + "@example.test",
        "emailVerified", true, "enabled", true, "firstName", "Test", "lastName", "User",
        "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false))))
        .post(ADMIN + "/users");
    user.then().statusCode(201);
    String userId = lastSegment(user.header("Location"));
    Map<String, Object> roleRep = admin().get(ADMIN + "/roles/" + role).then().statusCode(200).extract().as(Map.class);
    admin().body(List.of(roleRep)).post(ADMIN + "/users/" + userId + "/role-mappings/realm").then().statusCode(204);
    admin().body("\"" + userId + "\"").post(ADMIN + "/organizations/" + organizationId + "/members")
        .then().statusCode(201);
    return TestTokens.password(username, PASSWORD);
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().baseUri(TestTokens.keycloakUrl()).auth().oauth2(TestTokens.service()).contentType(ContentType.JSON);
  }

  private static String lastSegment(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
