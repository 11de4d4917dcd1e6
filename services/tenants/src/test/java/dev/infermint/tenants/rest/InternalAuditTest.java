package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** {@code POST /internal/audit}: events of other services (the model registry) join a tenant's audit log. */
@QuarkusTest
class InternalAuditTest {

  private static Map<String, Object> event(String id, String tenant, String action) {
    Map<String, Object> event = new HashMap<>();
    event.put("id", id);
    event.put("tenantId", tenant);
    event.put("actor", "key-1");
    event.put("actorKind", "api_key");
    event.put("action", action);
    event.put("target", "model/sentiment/versions/1");
    event.put("requestId", "req-upload");
    event.put("occurredAt", "2026-11-28T10:00:00.123456Z");
    event.put("details", Map.of("digest", "sha256:abc", "sizeBytes", 42));
    return event;
  }

  @Test
  void aRegistryEventIsStoredOnceAndListedWithTheTenantsEvents() {
    String tenant = Fixtures.createTenant("audit-registry");
    String id = UUID.randomUUID().toString();
    Map<String, Object> event = event(id, tenant, "model.version_uploaded");
    asService().body(event).post("/internal/audit")
        .then().statusCode(201).body("action", equalTo("model.version_uploaded"));
    // The relay retries when it did not see the answer: the same id is not stored again.
    asService().body(event).post("/internal/audit")
        .then().statusCode(200).body("action", equalTo("model.version_uploaded"));

    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(200)
        .body("events.action", equalTo(List.of("model.version_uploaded", "tenant.created")))
        .body("events[0].actor", equalTo("key-1"))
        .body("events[0].actorKind", equalTo("api_key"))
        .body("events[0].target", equalTo("model/sentiment/versions/1"))
        .body("events[0].requestId", equalTo("req-upload"))
        .body("events[0].occurredAt", equalTo("2026-11-28T10:00:00.123456Z"))
        .body("events[0].details.digest", equalTo("sha256:abc"));
  }

  @Test
  void missingOrBadFieldsAreNamed() {
    String tenant = Fixtures.createTenant("audit-invalid");
    for (String field : new String[] {"id", "tenantId", "actorKind", "action", "target", "occurredAt"}) {
      Map<String, Object> event = event(UUID.randomUUID().toString(), tenant, "model.alias_set");
      event.remove(field);
      asService().body(event).post("/internal/audit")
          .then().statusCode(422).contentType(PROBLEM_JSON)
          .body("code", equalTo("validation_failed"), "field", equalTo(field));
    }
    Map<String, Object> notUuid = event("42", tenant, "model.alias_set");
    asService().body(notUuid).post("/internal/audit")
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("id"));
    // Only names under a foreign prefix: a sender cannot forge the tenants service's own actions.
    Map<String, Object> forged = event(UUID.randomUUID().toString(), tenant, "tenant.deleted");
    asService().body(forged).post("/internal/audit")
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("action"));
    Map<String, Object> badTime = event(UUID.randomUUID().toString(), tenant, "model.alias_set");
    badTime.put("occurredAt", "yesterday");
    asService().body(badTime).post("/internal/audit")
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("occurredAt"));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(200).body("events", hasSize(1));
  }

  @Test
  void withoutAServiceTokenItIsRefused() {
    String tenant = Fixtures.createTenant("audit-token");
    given().contentType(ContentType.JSON).body(event(UUID.randomUUID().toString(), tenant, "model.alias_set"))
        .post("/internal/audit")
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(200).body("events", hasSize(1));
  }
}
