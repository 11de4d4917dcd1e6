package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asUser;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.testsupport.TestTokens;

/** The internal endpoints: only for Infermint services, with a client-credentials token from Keycloak. */
@QuarkusTest
class InternalResourceTest {

  @Test
  void withoutCredentialsTheAnswerIs401() {
    String tenant = createTenant("internal");
    given().get("/internal/tenants/" + tenant)
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
    // Headers that assert a caller count for nothing without the service token beside them.
    given().header("X-Infermint-Caller-Kind", "SERVICE").header("X-Infermint-Roles", "platform-admin")
        .get("/internal/tenants/" + tenant)
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
    given().auth().oauth2("not-a-token").get("/internal/api-keys/" + "0".repeat(64))
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
  }

  @Test
  void aUsersTokenIsNotAServiceTokenEvenAPlatformAdmins() {
    String tenant = createTenant("internal-user");
    asUser(TestTokens.platformAdmin()).header("X-Infermint-Caller-Kind", "SERVICE")
        .get("/internal/tenants/" + tenant)
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"),
            "detail", containsString("not a service token"));
  }

  @Test
  void aTokenForgedToCarryTheServiceRoleIsRefused() {
    String tenant = createTenant("internal-forged");
    String[] parts = TestTokens.platformAdmin().split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"platform-admin\"", "\"platform-admin\",\"infermint-service\"");
    assertTrue(claims.contains("infermint-service"), claims);
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    // Keycloak's signature no longer matches the payload: quarkus-oidc refuses it before any role is read.
    asUser(forged).get("/internal/tenants/" + tenant)
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
  }

  @Test
  void tenantLookup() {
    String tenant = createTenant("internal-get");
    asService().get("/internal/tenants/" + tenant)
        .then().statusCode(200)
        .body("id", equalTo(tenant), "plan", equalTo("free"), "status", equalTo("active"));
    asService().get("/internal/tenants/unknown-tenant")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
  }

  @Test
  void unknownOrMalformedHashIsNotFound() {
    asService().get("/internal/api-keys/" + "a".repeat(64))
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asService().get("/internal/api-keys/not-a-hash")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
  }
}
