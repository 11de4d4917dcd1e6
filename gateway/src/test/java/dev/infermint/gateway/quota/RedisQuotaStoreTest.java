package dev.infermint.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

import dev.infermint.problem.ProblemException;
import dev.infermint.stack.EmbeddedRedis;

/**
 * The Redis store against a real Redis (the embedded 6.2 binary): exact under concurrency from two gateways, and
 * never a hang when Redis is gone.
 */
class RedisQuotaStoreTest {

  private static EmbeddedRedis redis;
  private static final List<Vertx> VERTX = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    redis = EmbeddedRedis.start(Files.createTempDirectory("quota-redis"), 0);
  }

  @AfterAll
  static void stop() throws IOException {
    VERTX.forEach(Vertx::close);
    redis.close();
  }

  private static RedisQuotaStore store(String url, boolean failOpen) {
    return store(url, failOpen, 1_000);
  }

  private static RedisQuotaStore store(String url, boolean failOpen, long timeoutMillis) {
    Vertx vertx = Vertx.vertx();
    VERTX.add(vertx);
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(16)
        .setMaxPoolWaiting(10_000));
    return new RedisQuotaStore(client, vertx, 200, timeoutMillis, failOpen, new SimpleMeterRegistry());
  }

  @Test
  void twoGatewaysOnOneRedisAdmitExactlyTheLimitOf2000ConcurrentCalls() throws Exception {
    // Fail closed, so a local decision would show as an error: every decision here must be Redis's own. 2,000
    // steps handed over in one instant queue for connections for a while on two cores; that is busy, not down.
    RedisQuotaStore first = store(redis.url(), false, 5_000);
    RedisQuotaStore second = store(redis.url(), false, 5_000);
    String tenant = "t-" + UUID.randomUUID();
    // Far from a minute boundary, so that all 2,000 fall into one minute.
    Instant now = Instant.parse("2026-12-01T12:00:20Z");
    PlanLimits limits = new PlanLimits("p", 500, 1_000_000, PlanLimits.Overage.BLOCK);
    List<CompletableFuture<QuotaDecision>> calls = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      RedisQuotaStore gateway = i % 2 == 0 ? first : second;
      calls.add(gateway.tryConsume(tenant, limits, now).toCompletionStage().toCompletableFuture());
    }
    int admitted = 0;
    int limited = 0;
    for (CompletableFuture<QuotaDecision> c : calls) {
      QuotaDecision d = c.get(30, TimeUnit.SECONDS);
      if (d.admitted()) {
        admitted++;
      } else if (d.outcome() == QuotaDecision.Outcome.RATE_LIMITED) {
        limited++;
      }
    }
    assertEquals(500, admitted);
    assertEquals(1500, limited);
    assertEquals(500, first.peek(tenant, limits, now).toCompletionStage().toCompletableFuture().get().monthUsed());
  }

  @Test
  void redisGoneFailsOpenOnLocalCountersOrClosedWith503() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    PlanLimits limits = new PlanLimits("p", 1, 10, PlanLimits.Overage.BLOCK);
    RedisQuotaStore open = store("redis://127.0.0.1:" + closedPort, true);
    assertTrue(await(open.tryConsume("t", limits, Instant.now())).admitted(), "local counters decide");
    assertEquals(QuotaDecision.Outcome.RATE_LIMITED, await(open.tryConsume("t", limits, Instant.now())).outcome(),
        "and still enforce the plan");
    RedisQuotaStore closed = store("redis://127.0.0.1:" + closedPort, false);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2)).until(closed::redisDown);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(closed.tryConsume("t", limits, Instant.now())));
    ProblemException problem = (ProblemException) e.getCause();
    assertEquals(503, problem.status());
    assertEquals("quota_unavailable", problem.problem().code());
  }

  @Test
  void aRedisThatAcceptsButNeverAnswersIsGivenUpAfterTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      acceptForever(silent);
      RedisQuotaStore closed = store("redis://127.0.0.1:" + silent.getLocalPort(), false);
      PlanLimits limits = new PlanLimits("p", 1, 10, PlanLimits.Overage.BLOCK);
      // A hang would fail this get(): the step gives up at the busy timeout (1 s), or sooner once the PING probe
      // (every 250 ms, 200 ms to answer) has marked Redis down.
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> closed.tryConsume("t", limits, Instant.now()).toCompletionStage().toCompletableFuture()
              .get(2, TimeUnit.SECONDS));
      assertEquals("quota_unavailable", ((ProblemException) e.getCause()).problem().code());
    }
  }

  @Test
  void aSilentRedisIsNeverAdmittedLocallyUntilItCountsAsDownThenFailsOpen() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) {
      acceptForever(silent);
      RedisQuotaStore open = store("redis://127.0.0.1:" + silent.getLocalPort(), true, 300);
      PlanLimits limits = new PlanLimits("p", 5, 10, PlanLimits.Overage.BLOCK);
      // Slow is not down: the step is refused rather than decided locally, even when failing open.
      ExecutionException slow = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> await(open.tryConsume("t", limits, Instant.now())));
      assertEquals("quota_unavailable", ((ProblemException) slow.getCause()).problem().code());
      // Four silent probes later Redis counts as down, and the replica's own counters decide.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(open::redisDown);
      assertTrue(await(open.tryConsume("t", limits, Instant.now())).admitted());
    }
  }

  /** Makes {@code silent} a Redis that accepts connections and never answers. */
  private static void acceptForever(ServerSocket silent) {
    Thread acceptor = new Thread(() -> {
      List<Socket> held = new ArrayList<>();
      try {
        while (true) {
          held.add(silent.accept());
        }
      } catch (IOException done) {
        // closed by the test
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
