package dev.infermint.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The gateway balances over two worker replicas and rides out the loss of one (issue #7 item 4). */
@QuarkusTest
class ReplicaRoutingTest {

  private static final String INFER = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}";

  @BeforeEach
  void reset() {
    UsageStreamProbe.resetAll();
  }

  @AfterEach
  void restoreWorkers() {
    UpstreamStandIn.restartStoppedWorkers();
  }

  private static int infer() {
    return given().auth().oauth2("imk_roomy").contentType(ContentType.JSON).body(INFER).post("/v2/models/m/infer")
        .statusCode();
  }

  @Test
  void callsAreSpreadOverBothReplicas() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(pool.submit(ReplicaRoutingTest::infer));
    }
    for (Future<Integer> f : calls) {
      assertEquals(200, f.get());
    }
    pool.shutdown();
    // A breaker opened by another test lets a trial call through within a second; then both serve.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
      assertEquals(200, infer());
      return UpstreamStandIn.SERVED_BY.stream().filter(i -> i == 0).count() >= 5
          && UpstreamStandIn.SERVED_BY.stream().filter(i -> i == 1).count() >= 5;
    });
  }

  @Test
  void aStoppedReplicaCostsNoFailedCall() throws Exception {
    UpstreamStandIn.stopWorker(1);
    for (int i = 0; i < 30; i++) {
      assertEquals(200, infer(), "call " + i + " after replica 1 stopped");
    }
    assertTrue(UpstreamStandIn.SERVED_BY.stream().allMatch(i -> i == 0), "only the live replica served");
    assertEquals(30, UsageStreamProbe.await("tenant-9", 30).size(), "each call metered once, retries included");
  }

  @Test
  void withEveryReplicaDownTheCallerGets503AndOneEvent() throws Exception {
    UpstreamStandIn.stopWorker(0);
    UpstreamStandIn.stopWorker(1);
    given().auth().oauth2("imk_roomy").contentType(ContentType.JSON).body(INFER).post("/v2/models/m/infer")
        .then().statusCode(503).contentType("application/problem+json");
    assertEquals("503", UsageStreamProbe.await("tenant-9", 1).get(0).get("status"));
  }
}
