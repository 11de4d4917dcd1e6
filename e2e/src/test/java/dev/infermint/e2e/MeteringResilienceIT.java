package dev.infermint.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.infermint.e2e.Load.Outcome;
import dev.infermint.e2e.Load.Target;
import dev.infermint.metering.QuotaKeys;
import dev.infermint.stack.Ports;
import dev.infermint.stack.ServiceProcess;
import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * Quotas and metering while the platform's processes are killed, paused and restarted (issue #7): two gateways on
 * one Redis, billing frozen for a minute or killed in the middle of a batch, a gateway and a worker killed under
 * load. Every test has its own tenant, so its usage is exactly the calls it made, and it reads usage only once
 * billing has consumed the whole usage stream ({@link RedisProbe#drained()}), so the totals it compares are final.
 *
 * <p>"Admitted" is what the gateway let through (authenticated, within quota): every admitted call is billed once,
 * under the event id the gateway mints, whatever its status; a 429 is not admitted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeteringResilienceIT {

  /** The per-minute limit of plan {@code pro} in the e2e stack ({@link SharedStack} sets it from the environment). */
  private static final int PRO_PER_MINUTE = SharedStack.PRO_REQUESTS_PER_MINUTE;
  /** Concurrent clients of the load tests: also the most calls that can be in flight on a process that dies. */
  private static final int CLIENTS = 16;

  private Stack stack;
  private ServiceProcess secondGateway;
  private RedisProbe redis;
  private String adminToken;
  private long adminTokenAt;

  @BeforeAll
  void startStack() throws IOException {
    stack = SharedStack.get();
    // A second gateway replica with the same environment: same Redis, same workers.
    secondGateway = stack.startReplica("gateway", Ports.free());
    redis = RedisProbe.connect(stack.redisUrl());
  }

  @AfterAll
  void closeProbe() throws IOException {
    redis.close();
  }

  /**
   * Issue #7, resilience check (a), quotas shared by every gateway replica and taken atomically in Redis: 2,000
   * concurrent calls split over two gateways against a 500/min tenant admit exactly 500; the rest get 429
   * {@code rate_limited}; and usage bills exactly the 500 (SPEC §5: every admitted call counts once).
   */
  @Test
  @Order(1)
  void twoGatewaysOnOneRedisAdmitExactlyThePerMinuteLimit() {
    Integer perMinute = admin().get("/api/v1/plans")
        .then().statusCode(200).extract().path("find { it.id == 'pro' }.limits.requestsPerMinute");
    assertEquals(PRO_PER_MINUTE, perMinute, "plan pro's per-minute limit in the e2e stack");
    Tenant t = tenant("pro", "burst");
    // Minute windows are fixed (QuotaKeys): the whole burst must fall in one, so start it early in a minute.
    Instant start = freshMinute(Duration.ofSeconds(40));
    List<Outcome> calls = Load.burst(new Target(List.of(stack.gatewayUrl(), secondGateway.url()), t.key(), t.model()),
        64, 2000, Duration.ofSeconds(60));
    Instant end = Instant.now();
    assertEquals(QuotaKeys.minute(t.id(), start), QuotaKeys.minute(t.id(), end),
        "the burst took " + Duration.between(start, end).toSeconds() + " s and crossed a minute boundary; "
            + Load.summary(calls));

    long ok = calls.stream().filter(Outcome::ok).count();
    long limited = calls.stream().filter(o -> o.status() == 429 && "rate_limited".equals(o.code())).count();
    assertEquals(PRO_PER_MINUTE, ok, "2xx of 2,000 calls over two gateways; " + Load.summary(calls));
    assertEquals(2000 - PRO_PER_MINUTE, limited, "429 rate_limited; " + Load.summary(calls));
    for (String gateway : List.of(stack.gatewayUrl(), secondGateway.url())) {
      assertTrue(calls.stream().anyMatch(o -> o.ok() && o.gateway().equals(gateway)), "no 2xx from " + gateway);
    }
    assertTrue(calls.stream().filter(Outcome::ok).allMatch(o -> String.valueOf(PRO_PER_MINUTE).equals(o.limit())),
        "X-RateLimit-Limit of every admitted call is the plan's " + PRO_PER_MINUTE);
    // Metering: the 429s are not billed; every admitted call is, once.
    assertEquals(PRO_PER_MINUTE, settledUsage(t), "usage of the burst tenant");
  }

  /**
   * Issue #7, resilience check (b), the usage stream is durable and billing's absence never reaches callers: billing
   * frozen (SIGSTOP) for 60 s while clients keep calling; they are all answered, and once billing is resumed usage
   * counts every admitted call exactly once.
   */
  @Test
  @Order(2)
  void billingPausedForAMinuteMissesNoCall() throws IOException {
    Tenant t = tenant("enterprise", "pause");
    ServiceProcess billing = stack.service("billing");
    long warmUp = warmUp(t);
    List<Outcome> calls;
    billing.pause();
    try {
      // 20 calls a second for the whole pause: the minute the pause lasts is this load's own clock.
      Load load = Load.paced(new Target(List.of(stack.gatewayUrl()), t.key(), t.model()), CLIENTS, 20,
          Duration.ofSeconds(60));
      await("1,200 calls handed to clients while billing is paused").atMost(Duration.ofSeconds(75))
          .pollInterval(Duration.ofMillis(200)).until(load::allStarted);
      calls = load.stop(Duration.ofSeconds(40));
    } finally {
      billing.resume();
    }
    assertAllAnswered(calls);
    assertTrue(calls.stream().filter(Outcome::ok).count() > 1000, "the gateway kept serving; " + Load.summary(calls));
    assertBilledOnceEach(t, warmUp, calls, "after billing's pause");
  }

  /**
   * Issue #7, resilience check (c), at-least-once delivery into an idempotent store (event id unique): billing killed
   * -9 while it holds a batch it has read and not acknowledged, then restarted: nothing lost, nothing counted twice.
   */
  @Test
  @Order(3)
  void billingKilledMidBatchLosesAndDoublesNothing() throws IOException {
    Tenant t = tenant("enterprise", "kill-billing");
    ServiceProcess billing = stack.service("billing");
    long warmUp = warmUp(t);
    await("billing consumed the warm-up").atMost(Duration.ofSeconds(30)).until(redis::drained);
    List<Outcome> calls;
    long pendingAtKill;
    // A backlog of several batches builds up while billing is frozen, so the kill lands while it consumes them.
    billing.pause();
    try {
      calls = Load.burst(new Target(List.of(stack.gatewayUrl()), t.key(), t.model()), CLIENTS, 1500,
          Duration.ofSeconds(90));
      String deliveredBefore = redis.lastDelivered();
      billing.resume();
      // Billing has read a new batch since it was resumed and not acknowledged it yet: kill it there.
      await("billing holds a batch read since it was resumed").atMost(Duration.ofSeconds(30)).pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> redis.pending() > 0 && !Objects.equals(redis.lastDelivered(), deliveredBefore));
      billing.kill();
      pendingAtKill = redis.pending();
    } finally {
      if (billing.isPaused()) {
        billing.resume();
      }
      if (!billing.isAlive()) {
        stack.restart("billing");
      }
    }
    assertTrue(pendingAtKill > 0, "billing held no unacknowledged batch when it was killed");
    assertBilledOnceEach(t, warmUp, calls, "after billing was killed holding " + pendingAtKill + " entries");
  }

  /**
   * Issue #7, resilience check (d), the gateway writes the usage event before the client's response completes: a
   * gateway killed -9 under load; every call a client got a 2xx for is billed, and no call more than once.
   */
  @Test
  @Order(4)
  void aGatewayKilledUnderLoadBillsEveryCallItAnswered() {
    Tenant t = tenant("enterprise", "kill-gateway");
    long warmUp = warmUp(t);
    Load load = Load.continuous(new Target(List.of(secondGateway.url()), t.key(), t.model()), CLIENTS, 5000);
    await("300 calls answered 2xx by the second gateway").atMost(Duration.ofSeconds(60))
        .until(() -> load.count(Outcome::ok) >= 300);
    secondGateway.kill();
    List<Outcome> calls = load.stop(Duration.ofSeconds(40));
    long ok = calls.stream().filter(Outcome::ok).count();
    // Calls cut by the kill may or may not have been admitted and written; each is billed at most once.
    long atMost = calls.stream().filter(o -> o.admitted() || o.status() == 0).count();
    long usage = settledUsage(t) - warmUp;
    assertTrue(usage >= ok, "billed " + usage + " < " + ok + " calls answered 2xx; " + Load.summary(calls));
    assertTrue(usage <= atMost, "billed " + usage + " > " + atMost + " calls the gateway could have admitted; "
        + Load.summary(calls));
  }

  /**
   * Issue #7, resilience check (e), routing over several workers (least outstanding requests, retry on connect
   * failure, a breaker per replica): with two workers, one killed -9 under load; callers see no 5xx beyond the calls
   * that were in flight on it, and calls after the kill succeed on the other.
   */
  @Test
  @Order(5)
  void aWorkerKilledUnderLoadFailsAtMostTheCallsInFlightOnIt() throws IOException {
    assertEquals(2, stack.workers().size(), "the e2e stack runs two workers");
    Tenant t = tenant("enterprise", "kill-worker");
    ServiceProcess worker = stack.workers().get(1);
    warmUp(t);
    Load load = Load.continuous(new Target(List.of(stack.gatewayUrl()), t.key(), t.model()), CLIENTS, 6000);
    long afterKill;
    try {
      await("200 calls answered 2xx, and the second worker serving " + t.model()).atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> load.count(Outcome::ok) >= 200 && serves(worker, t.model()));
      worker.kill();
      long atKill = load.outcomes().size();
      await("400 calls ended after the kill").atMost(Duration.ofSeconds(60))
          .until(() -> load.outcomes().size() >= atKill + 400);
      afterKill = atKill;
    } finally {
      load.stop(Duration.ofSeconds(40));
      if (!worker.isAlive()) {
        stack.restart(worker.name());
      }
    }
    List<Outcome> calls = load.outcomes();
    long failed = calls.stream().filter(Outcome::failed).count();
    assertTrue(failed <= CLIENTS, failed + " calls failed, more than the " + CLIENTS + " that can have been in flight"
        + " on the killed worker; " + Load.summary(calls));
    List<Outcome> last = calls.subList(calls.size() - 100, calls.size());
    assertTrue(last.stream().allMatch(Outcome::ok), "the last 100 calls, well after the kill at call " + afterKill
        + ", all succeed on the remaining worker; " + Load.summary(last));
  }

  /** A tenant of the given plan with an admin API key and its own affine model. */
  private record Tenant(String id, String key, String model) {
  }

  private Tenant tenant(String plan, String purpose) {
    // Unique name and slug: a shared Keycloak keeps the organizations of earlier runs.
    String slug = "rs-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    String id = admin().contentType(ContentType.JSON)
        .body(Map.of("name", "Resilience " + slug, "slug", slug, "plan", plan))
        .post("/api/v1/tenants")
        .then().statusCode(201).body("plan", equalTo(plan)).extract().path("id");
    String key = admin().contentType(ContentType.JSON)
        .body(Map.of("name", "load", "scopes", List.of("inference", "admin")))
        .post("/api/v1/tenants/{id}/api-keys", id)
        .then().statusCode(201).extract().path("key");
    String model = "affine-" + purpose;
    // Weights of its own, so its digest is too: workers cache and log models by digest (see serves()).
    byte[] onnx = OnnxModelBuilder.affine(new float[] {2, 3, 4}, new float[] {1, -1, Math.floorMod(slug.hashCode(),
        1000) / 8f});
    given().baseUri(stack.gatewayUrl()).auth().oauth2(key)
        .multiPart("file", model + ".onnx", onnx, "application/octet-stream").multiPart("task", "generic")
        .post("/api/v1/models/{m}/versions", model)
        .then().statusCode(201);
    return new Tenant(id, key, model);
  }

  /**
   * A few calls before the load, so that each worker has loaded the model and the gateways know the key.
   *
   * @return how many were admitted
   */
  private long warmUp(Tenant t) {
    List<Outcome> calls = Load.burst(new Target(List.of(stack.gatewayUrl()), t.key(), t.model()), 2, 8,
        Duration.ofSeconds(60));
    assertTrue(calls.stream().allMatch(Outcome::ok), "warm-up calls; " + Load.summary(calls));
    return calls.size();
  }

  private static void assertAllAnswered(List<Outcome> calls) {
    assertEquals(0, calls.stream().filter(o -> o.status() == 0).count(),
        "calls without an answer within 30 s (billing must not be on the call path); " + Load.summary(calls));
  }

  /**
   * Every call was answered, and usage counts each admitted one (and the warm-up) exactly once.
   *
   * @param t the tenant the calls were made for, and no others
   * @param warmUp its calls before {@code calls}, all admitted
   * @param calls the calls
   * @param when what happened to billing meanwhile, for the message
   */
  private void assertBilledOnceEach(Tenant t, long warmUp, List<Outcome> calls, String when) {
    assertAllAnswered(calls);
    long admitted = calls.stream().filter(Outcome::admitted).count();
    assertEquals(warmUp + admitted, settledUsage(t), "usage " + when + "; " + Load.summary(calls));
  }

  /**
   * Waits until billing has consumed and acknowledged the whole usage stream, then reads the tenant's usage.
   *
   * @return the tenant's billed requests over yesterday, today and tomorrow (UTC: a run across midnight)
   */
  private long settledUsage(Tenant t) {
    await("billing consumed and acknowledged the whole usage stream").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250)).until(redis::drained);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    List<Integer> rows = admin().queryParam("from", today.minusDays(1).toString())
        .queryParam("to", today.plusDays(1).toString()).queryParam("groupBy", "model")
        .get("/api/v1/tenants/{id}/usage", t.id())
        .then().statusCode(200).extract().path("rows.requests");
    return rows.stream().mapToLong(Integer::longValue).sum();
  }

  /**
   * @param needed how much of the minute the caller needs
   * @return now, once at least {@code needed} is left of the current minute (waiting for the next one if not)
   */
  private static Instant freshMinute(Duration needed) {
    if (QuotaKeys.secondsToNextMinute(Instant.now()) < needed.toSeconds()) {
      long minute = Instant.now().getEpochSecond() / 60;
      await("the next minute").atMost(Duration.ofSeconds(61)).pollInterval(Duration.ofMillis(50))
          .until(() -> Instant.now().getEpochSecond() / 60 > minute);
    }
    return Instant.now();
  }

  /**
   * @param worker a worker process
   * @param model a model name unique to one test
   * @return whether the worker has served the model: its success counter (SPEC §7) or, before the worker has
   *     metrics, the line it logs when it loads the model for a first call
   */
  private static boolean serves(ServiceProcess worker, String model) throws IOException {
    HttpResponse<String> metrics;
    try {
      metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(worker.url() + "/q/metrics"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    boolean counted = metrics.statusCode() == 200 && metrics.body().lines()
        .anyMatch(l -> l.startsWith("infermint_inference_request_success_total{") && l.contains("model=\"" + model
            + "\"") && !l.endsWith(" 0.0"));
    return counted || Files.readString(worker.log()).contains("Loaded model " + model + ":");
  }

  /** @return a request through the gateway as the platform admin (a token refreshed well before it expires) */
  private RequestSpecification admin() {
    if (adminToken == null || System.nanoTime() - adminTokenAt > 120_000_000_000L) {
      adminToken = TestTokens.password(stack.keycloakUrl(), "admin", "admin");
      adminTokenAt = System.nanoTime();
    }
    return given().baseUri(stack.gatewayUrl()).auth().oauth2(adminToken);
  }
}
