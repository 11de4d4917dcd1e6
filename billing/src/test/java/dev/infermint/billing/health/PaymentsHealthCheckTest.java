package dev.infermint.billing.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PaymentsHealthCheckTest {

  @Test
  void readinessSaysWhichProviderSyncsPayments() {
    given().when().get("/q/health/ready")
        .then().log().ifValidationFails().statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItems("payments"))
        .body("checks.find { it.name == 'payments' }.data.provider", equalTo("stripe"))
        .body("checks.find { it.name == 'payments' }.data.paymentSync", equalTo("on"));
  }
}
