package dev.infermint.billing.reconciliation;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.infermint.billing.meterreports.UsageBillingFixtures;
import dev.infermint.billing.meterreports.UsageBillingFixtures.Tenant;
import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.TestTokens;

/**
 * Reconciliation of billing's sent meter reports with the Stripe-shaped server's meter summaries: agreeing data
 * reports no drift; usage Stripe holds beyond what billing sent (injected through the server's control) is found,
 * answered by the endpoint and exported as the gauge; only platform admins may read or run it.
 */
@QuarkusTest
class ReconciliationResourceTest {

  private static final String PATH = "/api/v1/billing/reconciliation";

  @Inject
  UsageBillingFixtures fixtures;

  private static JsonPath runAsPlatformAdmin() {
    return given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON)
        .when().post(PATH).then().log().ifValidationFails().statusCode(200).extract().jsonPath();
  }

  private static Map<String, Object> row(JsonPath run, String tenantId, LocalDate day) {
    List<Map<String, Object>> rows = run.getList("rows");
    return rows.stream().filter(r -> tenantId.equals(r.get("tenantId")) && day.toString().equals(r.get("day")))
        .findFirst().orElseThrow(() -> new AssertionError("no row for " + tenantId + " " + day + " in " + rows));
  }

  @Test
  void agreeingTotalsReportNoDrift() {
    Tenant tenant = fixtures.tenantWithCustomer();
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    fixtures.usage(tenant.tenantId(), true, minute, minute.plusSeconds(1), minute.plusSeconds(2));
    fixtures.awaitSent(tenant.tenantId(), 1);

    JsonPath run = runAsPlatformAdmin();
    Map<String, Object> row = row(run, tenant.tenantId(), LocalDate.ofInstant(minute, ZoneOffset.UTC));
    assertEquals(tenant.customerId(), row.get("customerId"));
    assertEquals(3, row.get("local"));
    assertEquals(3, row.get("stripe"));
    assertEquals(0, row.get("drift"));
    assertEquals(0, run.getInt("driftTotal"), run.prettify());
    assertEquals(true, run.getBoolean("paymentSync"));
    assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), run.getString("to"));
    assertEquals(LocalDate.now(ZoneOffset.UTC).minusDays(2).toString(), run.getString("from"), "3 days in tests");

    // GET answers the latest run as stored.
    JsonPath latest = given().auth().oauth2(TestTokens.platformAdmin()).get(PATH).then().statusCode(200).extract()
        .jsonPath();
    assertEquals(run.getString("ranAt"), latest.getString("ranAt"));
    assertEquals(3, row(latest, tenant.tenantId(), LocalDate.ofInstant(minute, ZoneOffset.UTC)).get("stripe"));
    assertEquals(0.0, UsageBillingFixtures.metric("infermint_billing_reconciliation_drift"));
  }

  @Test
  void anInjectedDriftIsFoundAndReportedInTheEndpointAndTheGauge() {
    Tenant tenant = fixtures.tenantWithCustomer();
    String meter = fixtures.meterId();
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.MINUTES);
    fixtures.usage(tenant.tenantId(), true, minute, minute.plusSeconds(1));
    fixtures.awaitSent(tenant.tenantId(), 1);
    // Stripe counts 7 more for the customer than billing ever sent.
    UsageBillingFixtures.stripe().addMeterUsage(meter, tenant.customerId(), BigDecimal.valueOf(7),
        minute.getEpochSecond());
    try {
      JsonPath run = runAsPlatformAdmin();
      Map<String, Object> row = row(run, tenant.tenantId(), LocalDate.ofInstant(minute, ZoneOffset.UTC));
      assertEquals(2, row.get("local"));
      assertEquals(9, row.get("stripe"));
      assertEquals(7, row.get("drift"));
      assertEquals(7, run.getInt("driftTotal"), run.prettify());
      assertEquals(7, given().auth().oauth2(TestTokens.platformAdmin()).get(PATH).then().statusCode(200)
          .extract().jsonPath().getInt("driftTotal"));
      assertEquals(7.0, UsageBillingFixtures.metric("infermint_billing_reconciliation_drift"));
    } finally {
      // Take the drift back out, so that other tests see agreeing totals; the next run finds none.
      UsageBillingFixtures.stripe().addMeterUsage(meter, tenant.customerId(), BigDecimal.valueOf(-7),
          minute.getEpochSecond());
    }
    assertEquals(0, runAsPlatformAdmin().getInt("driftTotal"));
    assertEquals(0.0, UsageBillingFixtures.metric("infermint_billing_reconciliation_drift"));
  }

  @Test
  void onlyPlatformAdminsReadOrRunIt() {
    given().get(PATH).then().statusCode(401).contentType("application/problem+json")
        .body("code", org.hamcrest.Matchers.equalTo("unauthenticated"));
    given().contentType(ContentType.JSON).post(PATH).then().statusCode(401)
        .body("code", org.hamcrest.Matchers.equalTo("unauthenticated"));
    AsService.apiKey("t-any", "key-admin", "tenant-admin").get(PATH).then().statusCode(403)
        .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo("forbidden"));
    AsService.apiKey("t-any", "key-admin", "tenant-admin").contentType(ContentType.JSON).post(PATH).then()
        .statusCode(403).body("code", org.hamcrest.Matchers.equalTo("forbidden"));
    AsService.apiKey("t-any", "key-inf", "inference").get(PATH).then().statusCode(403);
  }
}
