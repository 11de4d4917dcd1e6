package dev.infermint.billing.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.billing.metering.GatewayUsageStandIn;
import dev.infermint.metering.UsageStream;

@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageResourceTest {

  private final String tenant = UUID.randomUUID().toString();
  private final String otherTenant = UUID.randomUUID().toString();

  @Inject
  GatewayUsageStandIn gateway;

  private boolean recorded;

  /** Records the events once; in {@code @BeforeEach} because RestAssured knows the app's port only then. */
  @BeforeEach
  void recordUsageOnce() {
    if (recorded) {
      return;
    }
    recorded = true;
    List<String> ids = new ArrayList<>();
    // Inside 2024-03-10..2024-03-11 (UTC): 2 calls of "alpha" on the 10th, 1 of "beta" on each day.
    ids.add(append(tenant, "alpha", 3, 10, "2024-03-10T00:00:00Z"));
    ids.add(append(tenant, "alpha", 5, 20, "2024-03-10T13:30:00Z"));
    ids.add(append(tenant, "beta", 7, 1, "2024-03-10T23:59:59Z"));
    ids.add(append(tenant, "beta", 11, 2, "2024-03-11T23:59:59.999Z"));
    // Outside the range, or another tenant's: never counted.
    ids.add(append(tenant, "alpha", 1000, 1000, "2024-03-09T23:59:59Z"));
    ids.add(append(tenant, "alpha", 1000, 1000, "2024-03-12T00:00:00Z"));
    ids.add(append(otherTenant, "alpha", 1000, 1000, "2024-03-10T12:00:00Z"));
    awaitStored(ids);
  }

  /** Appends a call to the usage stream as the gateway does; returns its event id. */
  private String append(String tenantId, String model, long units, long computeMs, String occurredAt) {
    Map<String, String> entry = GatewayUsageStandIn.entry(tenantId, model, units, computeMs,
        Instant.parse(occurredAt));
    gateway.append(entry);
    return entry.get(UsageStream.ID);
  }

  private void awaitStored(List<String> eventIds) {
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.storedEvents(eventIds) == eventIds.size());
  }

  @Test
  void withoutGroupByAnswersOneRowOfTotals() {
    Callers.tenantAdmin(tenant).queryParam("from", "2024-03-10").queryParam("to", "2024-03-11")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(200)
        .body("rows", hasSize(1))
        .body("rows[0]", not(hasKey("date")))
        .body("rows[0]", not(hasKey("model")))
        .body("rows[0].requests", equalTo(4))
        .body("rows[0].units", equalTo(26))
        .body("rows[0].computeMs", equalTo(33));
  }

  @Test
  void groupsByUtcDay() {
    Callers.tenantAdmin(tenant).queryParam("from", "2024-03-10").queryParam("to", "2024-03-11")
        .queryParam("groupBy", "day")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(200)
        .body("rows.date", contains("2024-03-10", "2024-03-11"))
        .body("rows.requests", contains(3, 1))
        .body("rows.units", contains(15, 11))
        .body("rows.computeMs", contains(31, 2))
        .body("rows[0]", not(hasKey("model")));
  }

  @Test
  void groupsByModel() {
    Callers.tenantAdmin(tenant).queryParam("from", "2024-03-10").queryParam("to", "2024-03-11")
        .queryParam("groupBy", "model")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(200)
        .body("rows.model", contains("alpha", "beta"))
        .body("rows.requests", contains(2, 2))
        .body("rows.units", contains(8, 18))
        .body("rows.computeMs", contains(30, 3))
        .body("rows[0]", not(hasKey("date")));
  }

  @Test
  void emptyRangeAnswersZeroTotals() {
    Callers.tenantAdmin(tenant).queryParam("from", "2023-01-01").queryParam("to", "2023-01-31")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(200)
        .body("rows", hasSize(1))
        .body("rows[0].requests", equalTo(0))
        .body("rows[0].units", equalTo(0));
  }

  @Test
  void defaultRangeIsThisMonthUpToToday() {
    String fresh = UUID.randomUUID().toString();
    awaitStored(List.of(append(fresh, "alpha", 2, 5, Instant.now().toString())));
    Callers.tenantAdmin(fresh)
        .when().get("/api/v1/tenants/{t}/usage", fresh)
        .then().log().ifValidationFails().statusCode(200)
        .body("rows[0].requests", equalTo(1))
        .body("rows[0].units", equalTo(2));
  }

  @Test
  void platformServiceReadsAnyTenant() {
    Callers.service()
        .queryParam("from", "2024-03-10").queryParam("to", "2024-03-11")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(200)
        .body("rows[0].requests", equalTo(4));
  }

  @Test
  void anotherTenantsUsageIsNotFound() {
    Callers.tenantAdmin(otherTenant).queryParam("from", "2024-03-10").queryParam("to", "2024-03-11")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("not_found"));
  }

  @Test
  void withoutCredentialsIsUnauthenticated() {
    given().when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(401)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("unauthenticated"));
  }

  @Test
  void malformedDatesAreNamed() {
    Callers.tenantAdmin(tenant).queryParam("from", "2024-13-01")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(422)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("validation_failed"))
        .body("field", equalTo("from"));
    Callers.tenantAdmin(tenant).queryParam("to", "10/03/2024")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(422)
        .body("code", equalTo("validation_failed"))
        .body("field", equalTo("to"));
  }

  @Test
  void fromAfterToIsRefused() {
    Callers.tenantAdmin(tenant).queryParam("from", "2024-03-12").queryParam("to", "2024-03-11")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(422)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("validation_failed"))
        .body("field", equalTo("from"));
  }

  @Test
  void unknownGroupingIsNamed() {
    Callers.tenantAdmin(tenant).queryParam("groupBy", "week")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(422)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("validation_failed"))
        .body("field", equalTo("groupBy"));
  }
}
