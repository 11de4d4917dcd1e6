package dev.infermint.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.infermint.metering.QuotaKeys;
import dev.infermint.metering.UsageStream;

/** What is counted, and how often: issue #7's findings and the quota's two windows, against real Redis. */
@QuarkusTest
class MeteringTest {

  private static final String INFER = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}";

  @BeforeEach
  void reset() {
    UsageStreamProbe.resetAll();
  }

  private static Response infer(String key, String requestId) {
    return given().auth().oauth2(key).header("X-Request-Id", requestId).contentType(ContentType.JSON).body(INFER)
        .post("/v2/models/m/infer");
  }

  @Test
  void aReusedRequestIdIsBilledEveryTimeAndForEveryTenant() {
    infer("imk_good", "same-id").then().statusCode(200).header("X-Request-Id", "same-id");
    infer("imk_good", "same-id").then().statusCode(200).header("X-Request-Id", "same-id");
    infer("imk_roomy", "same-id").then().statusCode(200);
    List<Map<String, String>> first = UsageStreamProbe.await("tenant-1", 2);
    List<Map<String, String>> second = UsageStreamProbe.await("tenant-9", 1);
    assertEquals(2, first.size(), "two calls of tenant-1, two events");
    assertEquals(1, second.size(), "the other tenant's call is billed too");
    Set<String> ids = UsageStreamProbe.entries().stream().map(e -> e.get(UsageStream.ID)).collect(Collectors.toSet());
    assertEquals(3, ids.size(), "each call has its own event id, minted by the gateway");
    assertTrue(ids.stream().noneMatch("same-id"::equals), "the client's id is never the event id");
    assertEquals("same-id", first.get(0).get(UsageStream.REQUEST_ID), "it is kept for correlation");
  }

  @Test
  void withoutAClientIdTheRequestIdIsTheCallsEventIdAndAnUnsafeOneIsReplaced() {
    String minted = given().auth().oauth2("imk_good").contentType(ContentType.JSON).body(INFER)
        .post("/v2/models/m/infer").then().statusCode(200).extract().header("X-Request-Id");
    String replaced = infer("imk_good", "bad id\twith tab").then().statusCode(200).extract().header("X-Request-Id");
    List<Map<String, String>> events = UsageStreamProbe.await("tenant-1", 2);
    assertEquals(Set.of(minted, replaced), events.stream().map(e -> e.get(UsageStream.ID)).collect(Collectors.toSet()),
        "the answer's X-Request-Id finds the call's usage event");
    assertTrue(events.stream().allMatch(e -> e.get(UsageStream.ID).equals(e.get(UsageStream.REQUEST_ID))));
    assertEquals('7', minted.charAt(14), "a UUIDv7: " + minted);
  }

  @Test
  void pastTheMonthlyQuotaABlockingPlanAnswersQuotaExceededUntilNextMonth() {
    infer("imk_monthly", "a").then().statusCode(200);
    infer("imk_monthly", "b").then().statusCode(200);
    Response refused = infer("imk_monthly", "c");
    refused.then().statusCode(429).contentType("application/problem+json").body("code", equalTo("quota_exceeded"));
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    long toNextMonth = QuotaKeys.secondsToNextMonth(Instant.now());
    assertTrue(Math.abs(retryAfter - toNextMonth) <= 5, "Retry-After " + retryAfter + " vs " + toNextMonth);
    assertEquals(2, UsageStreamProbe.await("tenant-7", 2).size(), "the refused call is not metered");
  }

  @Test
  void pastTheMonthlyQuotaABillingPlanAdmitsAndFlagsOverage() {
    for (int i = 0; i < 4; i++) {
      infer("imk_overage", "o" + i).then().statusCode(200);
    }
    List<Map<String, String>> events = UsageStreamProbe.await("tenant-8", 4);
    assertEquals(List.of("0", "0", "1", "1"), events.stream().map(e -> e.get(UsageStream.OVERAGE)).toList());
  }

  @Test
  void theMonthlyCountSurvivesAPlanChange() throws Exception {
    infer("imk_planchange", "a").then().statusCode(200);
    infer("imk_planchange", "b").then().statusCode(200);
    infer("imk_planchange", "c").then().statusCode(429).body("code", equalTo("quota_exceeded"));
    // Same monthly allowance (2), but overage billed: a count kept across the change makes the next call overage.
    UpstreamStandIn.changePlan("tenant-10", "overage");
    GatewayRoutesTest.notifyTenancy("{\"type\":\"tenant_changed\",\"tenantId\":\"tenant-10\"}");
    org.awaitility.Awaitility.await().until(() -> infer("imk_planchange", "after").statusCode() == 200);
    List<Map<String, String>> events = UsageStreamProbe.await("tenant-10", 3);
    assertEquals(List.of("0", "0", "1"), events.stream().map(e -> e.get(UsageStream.OVERAGE)).toList());
  }

  @Test
  void aCallWhoseWorkerTimesOutIsRecordedOnceWith504() {
    UpstreamStandIn.workerMode = UpstreamStandIn.WorkerMode.SLOW;
    infer("imk_roomy", "slow").then().statusCode(504).contentType("application/problem+json")
        .body("code", equalTo("upstream_timeout"));
    List<Map<String, String>> events = UsageStreamProbe.await("tenant-9", 1);
    assertEquals(1, events.size(), "one event, not a failure and a success");
    assertEquals("504", events.get(0).get(UsageStream.STATUS));
    assertEquals("0", events.get(0).get(UsageStream.UNITS));
    String deadline = UpstreamStandIn.SEEN.stream().filter(s -> s.path().endsWith("/infer")).findFirst()
        .orElseThrow().header(WorkerProxy.DEADLINE);
    assertTrue(Long.parseLong(deadline) > System.currentTimeMillis() - 10_000, "the worker was told the deadline");
  }

  @Test
  void aWorker503IsPassedOnWithRetryAfterAndBilledNoUnits() {
    UpstreamStandIn.workerMode = UpstreamStandIn.WorkerMode.OVERLOADED;
    infer("imk_roomy", "busy").then().statusCode(503).header("Retry-After", "2").body("code", equalTo("overloaded"));
    Map<String, String> event = UsageStreamProbe.await("tenant-9", 1).get(0);
    assertEquals("503", event.get(UsageStream.STATUS));
    assertEquals("0", event.get(UsageStream.UNITS));
  }

  @Test
  void aChunkedBodyOverTheLimitGets413AndOneEvent() throws Exception {
    RawHttp.Answer answer = RawHttp.send("POST", "/v2/models/m/infer", "imk_roomy", "{\"x\":\"" + "y".repeat(5000)
        + "\"}", true);
    assertEquals(413, answer.status(), answer.text());
    assertTrue(answer.text().contains("payload_too_large"), answer.text());
    List<Map<String, String>> events = UsageStreamProbe.await("tenant-9", 1);
    assertEquals(1, events.size());
    assertEquals("413", events.get(0).get(UsageStream.STATUS));
  }

  @Test
  void eventIdsAreUniqueUnderConcurrency() throws Exception {
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      threads.add(new Thread(() -> infer("imk_roomy", "dup").then().statusCode(200)));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    List<Map<String, String>> events = UsageStreamProbe.await("tenant-9", 20);
    assertEquals(20, events.size());
    assertEquals(20, events.stream().map(e -> e.get(UsageStream.ID)).distinct().count());
    assertNotEquals(events.get(0).get(UsageStream.ID), events.get(1).get(UsageStream.ID));
  }
}
