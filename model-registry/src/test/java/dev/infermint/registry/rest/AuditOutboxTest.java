package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.affine;
import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.registry.repository.AuditOutboxEntity;
import dev.infermint.registry.repository.AuditOutboxRepository;
import dev.infermint.testsupport.TestTokens;

/** Audit events of management actions: written to the outbox with the action, relayed to the tenants service. */
@QuarkusTest
@QuarkusTestResource(value = TenantsStandIn.class, restrictToAnnotatedClass = false)
class AuditOutboxTest {

  @Inject
  AuditOutboxRepository outbox;

  @AfterEach
  void tenantsAnswersAgain() {
    TenantsStandIn.answer(201);
    TenantsStandIn.refuseNone();
  }

  /**
   * The relay sends oldest first and stops at an outage, so events of earlier tests still waiting would hold this
   * test's back: start from an outbox with nothing pending (set-aside events stay, and are not sent).
   */
  @BeforeEach
  void earlierEventsAreDelivered() {
    TenantsStandIn.answer(201);
    eventually("earlier tests' audit events were delivered",
        () -> QuarkusTransaction.requiringNew().call(() -> outbox.countPending()) == 0);
  }

  private List<AuditOutboxEntity> rows(String tenant) {
    return QuarkusTransaction.requiringNew()
        .call(() -> outbox.list("tenantId = ?1 order by occurredAt", tenant));
  }

  private static List<TenantsStandIn.Received> sent(String tenant) {
    return TenantsStandIn.received().stream().filter(r -> tenant.equals(r.body().get("tenantId"))).toList();
  }

  /** Waits until the condition holds; the relay runs every 200 ms in tests, the 30 s are only a safety net. */
  private static void eventually(String what, BooleanSupplier condition) {
    await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  @Test
  void anUploadWritesExactlyOneEventAndARefusedOneNone() {
    TenantsStandIn.answer(503); // keep the rows in the outbox for the look
    String tenant = newTenant();
    String model = newModel("audited");
    Callers.tenantAdmin(tenant).header("X-Request-Id", "req-audit-upload")
        .multiPart("file", "model.onnx", affine(1), "application/octet-stream")
        .post("/api/v1/models/{model}/versions", model)
        .then().statusCode(201);

    List<AuditOutboxEntity> rows = rows(tenant);
    assertEquals(1, rows.size(), "one event for one upload");
    AuditOutboxEntity event = rows.get(0);
    assertEquals("model.version_uploaded", event.action);
    assertEquals("model/" + model + "/versions/1", event.target);
    assertEquals("key-" + tenant, event.actor);
    assertEquals("api_key", event.actorKind);
    assertEquals("req-audit-upload", event.requestId);
    assertEquals("generic", event.details.get("task"));
    assertTrue(String.valueOf(event.details.get("digest")).startsWith("sha256:"));

    String refused = newTenant();
    upload(refused, newModel("refused"), "not an onnx model".getBytes()).statusCode(422);
    assertEquals(List.of(), rows(refused), "a refused upload stored nothing, so it audits nothing");

    // The public catalog (seeded at startup) concerns no tenant.
    assertEquals(List.of(), rows("public"));
  }

  @Test
  void aliasesDeploymentsAndDeletesAreAuditedToo() {
    TenantsStandIn.answer(503);
    String tenant = newTenant();
    String model = newModel("managed");
    upload(tenant, model, affine(1)).statusCode(201);
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/{model}/aliases/production", model).then().statusCode(200);
    Callers.tenantAdmin(tenant).contentType("application/json")
        .body(Map.of("replicas", 2, "device", "cpu", "maxBatchSize", 8, "maxQueueDelayMs", 5))
        .put("/api/v1/models/{model}/deployment", model).then().statusCode(200);
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{model}/aliases/production", model)
        .then().statusCode(204);
    // A deployed model's serving version is in use; undeployed (replicas 0), it can go.
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{model}/versions/1", model).then().statusCode(409);
    Callers.tenantAdmin(tenant).contentType("application/json")
        .body(Map.of("replicas", 0, "device", "cpu", "maxBatchSize", 8, "maxQueueDelayMs", 5))
        .put("/api/v1/models/{model}/deployment", model).then().statusCode(200);
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{model}/versions/1", model).then().statusCode(204);
    // Another tenant's attempt fails with 404 and is not audited for anyone.
    Callers.tenantAdmin(newTenant()).delete("/api/v1/models/{model}/versions/1", model).then().statusCode(404);

    assertEquals(List.of("model.version_uploaded", "model.alias_set", "model.deployment_changed",
        "model.alias_deleted", "model.deployment_changed", "model.version_deleted"),
        rows(tenant).stream().map(r -> r.action).toList());
    assertEquals(List.of("model/" + model + "/versions/1", "model/" + model + "/aliases/production",
        "model/" + model + "/deployment", "model/" + model + "/aliases/production",
        "model/" + model + "/deployment", "model/" + model + "/versions/1"),
        rows(tenant).stream().map(r -> r.target).toList());
  }

  @Test
  void theRelayDeliversWithItsServiceTokenAndDeletesOnlyAfterTenantsStoredIt() {
    TenantsStandIn.answer(503);
    String tenant = newTenant();
    String model = newModel("relayed");
    upload(tenant, model, affine(2)).statusCode(201);
    String id = rows(tenant).get(0).id.toString();

    eventually("the relay tried while tenants answered 503", () -> !sent(tenant).isEmpty());
    assertEquals(503, sent(tenant).get(0).answered());
    eventually("the failure was counted", () -> rows(tenant).size() == 1 && rows(tenant).get(0).attempts > 0);
    assertEquals(1, rows(tenant).size(), "a refused delivery keeps the event");
    assertEquals(0, rows(tenant).get(0).refusals, "an outage (503) is not held against the event");
    assertNull(rows(tenant).get(0).failedAt);

    TenantsStandIn.answer(201);
    eventually("the event left the outbox", () -> rows(tenant).isEmpty());
    TenantsStandIn.Received delivered = sent(tenant).get(sent(tenant).size() - 1);
    assertEquals(201, delivered.answered());
    assertNull(TestTokens.whyNotAServiceToken(delivered.authorization()), "sent with the registry's service token");
    assertEquals(id, delivered.body().get("id"), "every try carries the same id, so tenants stores it once");
    assertTrue(sent(tenant).stream().allMatch(r -> id.equals(r.body().get("id"))));
    assertEquals("model.version_uploaded", delivered.body().get("action"));
    assertEquals("model/" + model + "/versions/1", delivered.body().get("target"));
    assertEquals("api_key", delivered.body().get("actorKind"));
    assertEquals("key-" + tenant, delivered.body().get("actor"));
    assertNull(delivered.body().get("requestId"));
    assertTrue(String.valueOf(delivered.body().get("occurredAt")).endsWith("Z"));
  }

  @Test
  void anEventTenantsKeepsRefusingIsSetAsideWhileTheEventsBehindItFlow() {
    TenantsStandIn.answer(503); // hold the events until the poison one is marked
    String tenant = newTenant();
    String model = newModel("poison");
    upload(tenant, model, affine(3)).statusCode(201);
    String poison = rows(tenant).get(0).id.toString();
    TenantsStandIn.refuse(poison, 422);
    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("version", 1))
        .put("/api/v1/models/{model}/aliases/production", model).then().statusCode(200);
    String behind = rows(tenant).get(1).id.toString();
    TenantsStandIn.answer(201);

    eventually("the event behind the refused one was delivered", () -> rows(tenant).size() == 1);
    eventually("the refused event was set aside", () -> rows(tenant).get(0).failedAt != null);
    AuditOutboxEntity aside = rows(tenant).get(0);
    assertEquals(poison, aside.id.toString());
    assertEquals(3, aside.refusals, "set aside after infermint.registry.audit-relay-max-refusals (3 in tests)");
    assertTrue(aside.lastError.startsWith("HTTP 422"), aside.lastError);
    assertNull(aside.nextAttemptAt);

    List<TenantsStandIn.Received> sent = sent(tenant);
    List<Integer> poisonTries = indexes(sent, poison);
    List<Integer> behindTries = indexes(sent, behind);
    assertEquals(3, poisonTries.stream().filter(i -> sent.get(i).answered() == 422).count(),
        "tried once per refusal, never after being set aside: " + sent);
    int delivered = behindTries.stream().filter(i -> sent.get(i).answered() == 201).findFirst().orElseThrow();
    assertTrue(delivered < poisonTries.get(poisonTries.size() - 1),
        "the later event went out while the refused one was still being retried: " + sent);

    // Set aside means out of the way for good: the relay goes on with new events and never sends that one again.
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{model}/aliases/production", model).then().statusCode(204);
    eventually("a later event was delivered", () -> sent(tenant).stream()
        .anyMatch(r -> "model.alias_deleted".equals(r.body().get("action")) && r.answered() == 201));
    eventually("and left the outbox", () -> rows(tenant).size() == 1);
    assertEquals(3, indexes(sent(tenant), poison).size());
    QuarkusTransaction.requiringNew().run(() -> outbox.deleteById(aside.id));
  }

  private static List<Integer> indexes(List<TenantsStandIn.Received> sent, String id) {
    return java.util.stream.IntStream.range(0, sent.size()).filter(i -> id.equals(sent.get(i).body().get("id")))
        .boxed().toList();
  }
}
