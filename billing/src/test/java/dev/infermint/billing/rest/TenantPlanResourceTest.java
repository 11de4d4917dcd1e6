package dev.infermint.billing.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.infermint.testsupport.TestTokens;

@QuarkusTest
@QuarkusTestResource(value = TenantsStandIn.class, restrictToAnnotatedClass = false)
class TenantPlanResourceTest {

  @BeforeEach
  void reset() {
    TenantsStandIn.CALLS.clear();
  }

  private static io.restassured.specification.RequestSpecification platformAdmin() {
    return given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON);
  }

  @Test
  void aPlatformAdminChangesAPlanThroughTheTenantsService() {
    platformAdmin().header("X-Request-Id", "req-plan-1").body(Map.of("plan", "pro"))
        .put("/api/v1/tenants/t-known/plan")
        .then().statusCode(200).body("id", equalTo("t-known")).body("plan", equalTo("pro"));
    assertEquals(1, TenantsStandIn.planChangeCalls("t-known").size());
    String call = TenantsStandIn.planChangeCalls("t-known").get(0);
    assertTrue(call.startsWith("PUT /internal/tenants/t-known/plan|service-token|req-plan-1|"), call);
    assertTrue(call.endsWith("{\"plan\":\"pro\"}"), call);
  }

  @Test
  void unknownPlansAndMissingPlansAre422NamingThePlan() {
    platformAdmin().body(Map.of("plan", "gold")).put("/api/v1/tenants/t-known/plan")
        .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("plan"));
    platformAdmin().body(Map.of()).put("/api/v1/tenants/t-known/plan")
        .then().statusCode(422).body("code", equalTo("validation_failed"));
    assertTrue(TenantsStandIn.planChangeCalls("t-known").isEmpty(), "nothing reached tenants");
  }

  @Test
  void onlyPlatformAdminsChangePlansAndUnknownTenantsAre404() {
    Callers.tenantAdmin("t-known").contentType(ContentType.JSON).body(Map.of("plan", "enterprise"))
        .put("/api/v1/tenants/t-known/plan").then().statusCode(403).body("code", equalTo("forbidden"));
    given().contentType(ContentType.JSON).body(Map.of("plan", "pro")).put("/api/v1/tenants/t-known/plan")
        .then().statusCode(401);
    platformAdmin().body(Map.of("plan", "pro")).put("/api/v1/tenants/t-missing/plan")
        .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("not_found"));
    assertTrue(TenantsStandIn.planChangeCalls("t-known").isEmpty(), "refused callers change nothing");
    assertEquals(1, TenantsStandIn.planChangeCalls("t-missing").size(), "a 404 is not retried");
  }
}
