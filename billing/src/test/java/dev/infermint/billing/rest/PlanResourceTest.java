package dev.infermint.billing.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlanResourceTest {

  @Test
  void listsConfiguredPlansCheapestFirstWithoutAuthentication() {
    given().when().get("/api/v1/plans")
        .then().log().ifValidationFails().statusCode(200)
        .body("id", contains("free", "pro", "enterprise"))
        .body("name", contains("Free", "Pro", "Enterprise"))
        .body("priceMonthly", contains(0, 49, 499))
        .body("currency", contains("usd", "usd", "usd"))
        .body("limits.requestsPerMinute", contains(60, 600, 6000))
        .body("limits.requestsPerMonth", contains(10000, 1000000, 100000000))
        .body("overage", contains("block", "bill", "bill"))
        .body("overagePer1000", contains(0, 0.50f, 0.40f));
  }

  @Test
  void aPlanHasExactlyTheFieldsOfTheContract() {
    given().when().get("/api/v1/plans")
        .then().log().ifValidationFails().statusCode(200)
        .body("[0].keySet()", containsInAnyOrder("id", "name", "priceMonthly", "currency", "limits", "overage",
            "overagePer1000"))
        .body("[0].limits.keySet()", containsInAnyOrder("requestsPerMinute", "requestsPerMonth"));
  }

  @Test
  void findsOnePlanById() {
    given().when().get("/api/v1/plans/pro")
        .then().log().ifValidationFails().statusCode(200)
        .body("id", equalTo("pro"))
        .body("limits.requestsPerMinute", equalTo(600))
        .body("overage", equalTo("bill"))
        .body("overagePer1000", equalTo(0.50f));
  }

  @Test
  void unknownPlanIsNotFoundProblem() {
    given().when().get("/api/v1/plans/platinum")
        .then().log().ifValidationFails().statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("status", equalTo(404))
        .body("code", equalTo("not_found"))
        .body("detail", equalTo("plan 'platinum' was not found"));
  }
}
