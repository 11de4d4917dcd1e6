package dev.infermint.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.infermint.metering.QuotaKeys;

/** {@code GET /api/v1/tenants/{tenantId}/quota}: the live counters, to the tenant's own callers only. */
@QuarkusTest
class QuotaRouteTest {

  @BeforeEach
  void reset() {
    UsageStreamProbe.resetAll();
  }

  @Test
  void theQuotaShowsTheLiveMinuteAndMonthCounters() {
    for (int i = 0; i < 3; i++) {
      given().auth().oauth2("imk_roomy").contentType(ContentType.JSON).body("{\"model\":\"m\",\"input\":\"x\"}")
          .post("/v1/embeddings").then().statusCode(200);
    }
    given().auth().oauth2("imk_roomy").get("/api/v1/tenants/tenant-9/quota").then().statusCode(200)
        .contentType("application/json")
        .body("plan", equalTo("roomy"))
        .body("overage", equalTo("block"))
        .body("minute.limit", equalTo(1000))
        .body("minute.remaining", equalTo(997))
        .body("minute.resetSeconds", notNullValue())
        .body("month.limit", equalTo(100000))
        .body("month.used", equalTo(3))
        .body("month.resetsAt", equalTo(QuotaKeys.nextMonth(Instant.now()).toString()));
  }

  @Test
  void anotherTenantsQuotaIs404AndAnInferenceKeyIs403() {
    given().auth().oauth2("imk_roomy").get("/api/v1/tenants/tenant-1/quota").then().statusCode(404)
        .contentType("application/problem+json");
    given().auth().oauth2("imk_good").get("/api/v1/tenants/tenant-1/quota").then().statusCode(403)
        .body("code", equalTo("insufficient_scope"));
    given().get("/api/v1/tenants/tenant-9/quota/").then().statusCode(404);
  }
}
