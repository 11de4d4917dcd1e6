package dev.infermint.billing.metering;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

import dev.infermint.billing.service.UsageService;
import dev.infermint.metering.UsageStream;
import dev.infermint.testsupport.AsService;

/**
 * What billing stores from the usage stream, seen where a user sees it (the usage report, the dead-letter table),
 * with a real Redis and a real PostgreSQL.
 */
@QuarkusTest
class UsageStreamConsumerTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Instant AT = Instant.parse("2024-07-15T12:00:00Z");

  @Inject
  GatewayUsageStandIn gateway;
  @Inject
  UsageStreamConsumer consumer;
  @Inject
  UsageService usage;
  @Inject
  RedisDataSource redis;
  @Inject
  MeterRegistry metrics;

  private static ValidatableResponse report(String tenant, Instant day) {
    String d = LocalDate.ofInstant(day, ZoneOffset.UTC).toString();
    return AsService.apiKey(tenant, "key-admin-" + tenant, "tenant-admin")
        .queryParam("from", d).queryParam("to", d)
        .get("/api/v1/tenants/{t}/usage", tenant)
        .then().statusCode(200);
  }

  private static void awaitReport(String tenant, int requests, int units, int computeMs) {
    await().atMost(PATIENCE).untilAsserted(() -> report(tenant, AT)
        .body("rows[0].requests", equalTo(requests))
        .body("rows[0].units", equalTo(units))
        .body("rows[0].computeMs", equalTo(computeMs)));
  }

  @Test
  void entriesAreBilledOnceEvenWhenTheStreamRepeatsThem() {
    String tenant = UUID.randomUUID().toString();
    Map<String, String> first = GatewayUsageStandIn.entry(tenant, "m", 3, 10, AT);
    gateway.append(first);
    gateway.append(first); // a replayed stream, or a gateway retry after a lost reply
    gateway.append(GatewayUsageStandIn.entry(tenant, "m", 5, 1, AT));
    // Counted twice, the first would make it 3 requests and 11 units.
    awaitReport(tenant, 2, 8, 11);
    assertEquals(1, gateway.storedEvents(List.of(first.get(UsageStream.ID))));
  }

  @Test
  void aReusedRequestIdNeverMergesCalls() {
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    for (String tenant : List.of(a, a, b)) {
      Map<String, String> e = GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT);
      e.put(UsageStream.REQUEST_ID, "client-request-1");
      gateway.append(e);
    }
    awaitReport(a, 2, 2, 2);
    awaitReport(b, 1, 1, 1);
  }

  @Test
  void entriesADeadConsumerLeftPendingAreClaimedAndStored() {
    String tenant = UUID.randomUUID().toString();
    String ghost = "ghost-" + UUID.randomUUID();
    List<String> ids = new ArrayList<>();
    consumer.stop();
    try {
      for (int i = 0; i < 5; i++) {
        ids.add(gateway.append(GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT)));
      }
      // Another billing instance reads them and dies before storing or acknowledging anything.
      List<String> read = gateway.stream().xreadgroup(UsageStream.GROUP, ghost, gateway.streamKey(), ">",
          new XReadGroupArgs().count(1000)).stream().map(StreamMessage::id).toList();
      assertTrue(read.containsAll(ids), "the dead consumer holds them: " + read);
    } finally {
      consumer.start();
    }
    awaitReport(tenant, 5, 5, 5);
    await().atMost(PATIENCE).until(() -> !gateway.stream().xpending(gateway.streamKey(), UsageStream.GROUP)
        .getConsumers().containsKey(ghost));
  }

  @Test
  void malformedEntriesAreSetAsideAndDoNotBlockTheOnesBehind() {
    String tenant = UUID.randomUUID().toString();
    gateway.append(GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT));
    Map<String, String> noTenant = GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT);
    noTenant.remove(UsageStream.TENANT);
    Map<String, String> badUnits = GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT);
    badUnits.put(UsageStream.UNITS, "lots");
    Map<String, String> futureSchema = GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT);
    futureSchema.put(UsageStream.VERSION_OF_SCHEMA, "2");
    String noTenantId = gateway.append(noTenant);
    String badUnitsId = gateway.append(badUnits);
    String futureSchemaId = gateway.append(futureSchema);
    gateway.append(GatewayUsageStandIn.entry(tenant, "m", 2, 2, AT));

    awaitReport(tenant, 2, 3, 3);
    await().atMost(PATIENCE).untilAsserted(() -> {
      String letter = gateway.deadLetter(noTenantId).orElseThrow();
      assertTrue(letter.startsWith("tenant: is required | "), letter);
      assertTrue(letter.contains("\"id\": \"" + noTenant.get(UsageStream.ID) + "\""), "raw fields kept: " + letter);
      assertTrue(gateway.deadLetter(badUnitsId).orElseThrow().startsWith("units: must be a whole number, got 'lots'"));
      assertTrue(gateway.deadLetter(futureSchemaId).orElseThrow().startsWith("v: unsupported schema version '2'"));
    });
    for (String id : List.of(noTenantId, badUnitsId, futureSchemaId)) {
      assertTrue(gateway.stream().xpending(gateway.streamKey(), UsageStream.GROUP, StreamRange.of(id, id), 10)
          .isEmpty(), id + " is acknowledged");
    }
  }

  @Test
  void anEntryTheDatabaseRefusesIsSetAsideWithoutCostingTheRestOfItsBatch() {
    String tenant = UUID.randomUUID().toString();
    String before = gateway.append(GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT));
    // Valid to Redis and to the parser, but PostgreSQL text holds no NUL: the batch fails, then row by row.
    String refused = gateway.append(GatewayUsageStandIn.entry(tenant, "m\0odel", 1, 1, AT));
    gateway.append(GatewayUsageStandIn.entry(tenant, "m", 2, 2, AT));
    awaitReport(tenant, 2, 3, 3);
    await().atMost(PATIENCE).untilAsserted(() -> {
      String letter = gateway.deadLetter(refused).orElseThrow();
      assertTrue(letter.startsWith("refused by the database: "), letter);
      assertTrue(letter.contains("\"model\": \"m\uFFFDodel\""), letter);
    });
    assertTrue(gateway.deadLetter(before).isEmpty());
  }

  @Test
  void afterAStopAndACrashEveryEventArrivesExactlyOnce() {
    String tenant = UUID.randomUUID().toString();
    int total = 2000;
    List<String> eventIds = new ArrayList<>();
    consumer.stop();
    try {
      for (int i = 0; i < total; i++) {
        Map<String, String> e = GatewayUsageStandIn.entry(tenant, "m", 1, 2, AT);
        eventIds.add(e.get(UsageStream.ID));
        gateway.append(e);
      }
      assertEquals(0, gateway.storedEvents(eventIds), "nothing is consumed while billing is stopped");
      // A crash: this very consumer read 300 entries, committed 100 of them, and died before acknowledging any.
      UsageStreamGroup self = new UsageStreamGroup(redis, gateway.streamKey(), UsageStream.GROUP,
          consumer.consumerName());
      List<UsageStreamEntry> read = self.readNew(300, Duration.ofMillis(100));
      assertEquals(300, read.size());
      usage.store(read.subList(0, 100).stream().map(UsageStreamEntry::toRecord).toList(), List.of());
      assertEquals(100, gateway.storedEvents(eventIds));
    } finally {
      consumer.start();
    }
    awaitReport(tenant, total, total, 2 * total);
    await().atMost(PATIENCE).until(() -> gateway.stream().xpending(gateway.streamKey(), UsageStream.GROUP)
        .getPendingCount() == 0);
    assertEquals(total, gateway.storedEvents(eventIds));
    report(tenant, AT).body("rows[0].requests", equalTo(total));
  }

  @Test
  void consumedEntriesAreCounted() {
    String tenant = UUID.randomUUID().toString();
    gateway.append(GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT));
    awaitReport(tenant, 1, 1, 1);
    given().get("/q/metrics").then().statusCode(200)
        .body(containsString("infermint_billing_usage_events_total{outcome=\"stored\"}"))
        .body(containsString("infermint_billing_usage_stream_pending"));
  }

  @Test
  void aSteadyTrickleIsStoredInBatchesNotOneTransactionPerEvent() throws Exception {
    String tenant = UUID.randomUUID().toString();
    int events = 40;
    double before = metrics.counter("infermint.billing.usage.batches").count();
    // One event every 20 ms for 0.8 s, as a gateway under light load appends them: read as they come, that is one
    // transaction (and one XACK) per event; with the linger, a handful.
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try {
      CountDownLatch appended = new CountDownLatch(events);
      trickle.scheduleAtFixedRate(() -> {
        if (appended.getCount() > 0) {
          gateway.append(GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT));
          appended.countDown();
        }
      }, 0, 20, TimeUnit.MILLISECONDS);
      assertTrue(appended.await(30, TimeUnit.SECONDS));
    } finally {
      trickle.shutdownNow();
    }
    awaitReport(tenant, events, events, events);
    double batches = metrics.counter("infermint.billing.usage.batches").count() - before;
    assertTrue(batches <= events / 4.0, "40 events took " + batches + " batches");
  }

  @Test
  void theConsumerHasItsConfiguredNameAndStopAndStartAreIdempotent() {
    assertEquals("billing-test", consumer.consumerName());
    consumer.stop();
    consumer.stop();
    consumer.start();
    consumer.start();
    String tenant = UUID.randomUUID().toString();
    gateway.append(GatewayUsageStandIn.entry(tenant, "m", 1, 1, AT));
    awaitReport(tenant, 1, 1, 1);
  }
}
