package dev.infermint.billing.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.infermint.testsupport.TestTokens;

@QuarkusTest
class InternalUsageResourceTest {

  static Map<String, Object> event(String requestId, String tenantId, String model, long units, long computeMs,
      String occurredAt) {
    Map<String, Object> e = new HashMap<>();
    e.put("requestId", requestId);
    e.put("tenantId", tenantId);
    e.put("model", model);
    e.put("endpoint", "/v2/models/" + model + "/infer");
    e.put("units", units);
    e.put("computeMs", computeMs);
    e.put("status", 200);
    e.put("occurredAt", occurredAt);
    return e;
  }

  @Test
  void sameRequestIdTwiceIsRecordedOnce() {
    String tenant = UUID.randomUUID().toString();
    String requestId = UUID.randomUUID().toString();
    Callers.service().body(event(requestId, tenant, "m", 3, 10, "2024-05-02T10:00:00Z"))
        .when().post("/internal/usage")
        .then().log().ifValidationFails().statusCode(201)
        .body("requestId", equalTo(requestId))
        .body("units", equalTo(3));
    // A retry (even with different numbers) changes nothing and answers the event first stored.
    Callers.service().body(event(requestId, tenant, "m", 99, 99, "2024-05-02T10:00:05Z"))
        .when().post("/internal/usage")
        .then().log().ifValidationFails().statusCode(200)
        .body("units", equalTo(3))
        .body("occurredAt", equalTo("2024-05-02T10:00:00Z"));

    Callers.tenantAdmin(tenant).queryParam("from", "2024-05-01").queryParam("to", "2024-05-31")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().log().ifValidationFails().statusCode(200)
        .body("rows[0].requests", equalTo(1))
        .body("rows[0].units", equalTo(3));
  }

  @Test
  void concurrentDuplicatesStoreOneEvent() throws Exception {
    String tenant = UUID.randomUUID().toString();
    String requestId = UUID.randomUUID().toString();
    Map<String, Object> body = event(requestId, tenant, "m", 1, 1, "2024-06-01T00:00:00Z");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> posts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        posts.add(() -> Callers.service().body(body).post("/internal/usage").statusCode());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(posts)) {
        statuses.add(f.get());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "exactly one insert: " + statuses);
      assertEquals(7, statuses.stream().filter(s -> s == 200).count(), "the rest are duplicates: " + statuses);
    } finally {
      pool.shutdownNow();
    }
    Callers.tenantAdmin(tenant).queryParam("from", "2024-06-01").queryParam("to", "2024-06-01")
        .when().get("/api/v1/tenants/{t}/usage", tenant)
        .then().statusCode(200).body("rows[0].requests", equalTo(1));
  }

  @Test
  void missingRequiredFieldIsNamed() {
    for (String field : List.of("requestId", "tenantId", "model", "endpoint", "status", "occurredAt")) {
      Map<String, Object> body = event(UUID.randomUUID().toString(), "t", "m", 1, 1, "2024-05-02T10:00:00Z");
      body.remove(field);
      Callers.service().body(body)
          .when().post("/internal/usage")
          .then().log().ifValidationFails().statusCode(422)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("validation_failed"))
          .body("field", equalTo(field));
    }
  }

  @Test
  void negativeUnitsAreRefused() {
    Callers.service().body(event(UUID.randomUUID().toString(), "t", "m", -1, 1, "2024-05-02T10:00:00Z"))
        .when().post("/internal/usage")
        .then().log().ifValidationFails().statusCode(422)
        .body("code", equalTo("validation_failed"))
        .body("field", equalTo("units"));
  }

  @Test
  void unreadableTimestampIsMalformedNamingTheField() {
    Callers.service().body(event(UUID.randomUUID().toString(), "t", "m", 1, 1, "yesterday"))
        .when().post("/internal/usage")
        .then().log().ifValidationFails().statusCode(400)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("malformed_request"))
        .body("detail", containsString("occurredAt"));
  }

  @Test
  void onlyServicesMayRecordUsage() {
    Map<String, Object> body = event(UUID.randomUUID().toString(), "t", "m", 1, 1, "2024-05-02T10:00:00Z");
    given().contentType(ContentType.JSON).body(body)
        .when().post("/internal/usage")
        .then().log().ifValidationFails().statusCode(401)
        .contentType(startsWith("application/problem+json"))
        .body("code", equalTo("unauthenticated"));
    given().contentType(ContentType.JSON).auth().oauth2("not-a-token").body(body)
        .when().post("/internal/usage")
        .then().log().ifValidationFails().statusCode(401)
        .body("code", equalTo("unauthenticated"));
    given().contentType(ContentType.JSON).auth().oauth2(TestTokens.platformAdmin()).body(body)
        .when().post("/internal/usage")
        .then().log().ifValidationFails().statusCode(403)
        .body("code", equalTo("forbidden"));
  }
}
