package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The internal endpoints: only for holders of the internal token. */
@QuarkusTest
class InternalResourceTest {

  @Test
  void withoutTheInternalTokenTheAnswerIsForbidden() {
    String tenant = createTenant("internal");
    given().get("/internal/tenants/" + tenant)
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    given().header("X-Infermint-Internal-Token", "wrong").get("/internal/api-keys/" + "0".repeat(64))
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
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
