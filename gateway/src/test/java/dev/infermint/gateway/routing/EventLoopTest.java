package dev.infermint.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Nothing on the hot path blocks an event loop: Vert.x's blocked-thread checker runs at 200 ms in the test profile,
 * and every report of it that catches the gateway's own code on an event loop fails this test.
 */
@QuarkusTest
class EventLoopTest {

  private static final List<String> BLOCKED = new CopyOnWriteArrayList<>();

  static {
    Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker").addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        // Only a block inside our own code counts: on two shared cores the checker also reports the odd
        // scheduling stall in Netty's own wake-up, which no code of ours can cause or fix.
        Throwable where = record.getThrown();
        if (where != null && java.util.Arrays.stream(where.getStackTrace())
            .anyMatch(f -> f.getClassName().startsWith("dev.infermint."))) {
          java.io.StringWriter trace = new java.io.StringWriter();
          where.printStackTrace(new java.io.PrintWriter(trace));
          BLOCKED.add(record.getMessage() + "\n" + trace);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    });
  }

  @BeforeEach
  void reset() {
    UsageStreamProbe.resetAll();
  }

  @Test
  void aBurstOfMeteredCallsNeverBlocksAnEventLoop() throws Exception {
    // Warm up first: the first calls load classes from jars on the event loop, once, which is not ours to fix.
    for (int i = 0; i < 20; i++) {
      given().auth().oauth2("imk_roomy").contentType(ContentType.JSON).body("{\"model\":\"m\",\"input\":\"x\"}")
          .post("/v1/embeddings").then().statusCode(200);
    }
    BLOCKED.clear();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(pool.submit(() -> given().auth().oauth2("imk_roomy").contentType(ContentType.JSON)
          .body("{\"model\":\"m\",\"input\":\"x\"}").post("/v1/embeddings").statusCode()));
    }
    for (Future<Integer> f : calls) {
      assertEquals(200, f.get());
    }
    pool.shutdown();
    assertTrue(BLOCKED.isEmpty(), "blocked event loops: " + BLOCKED);
  }
}
