package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static dev.infermint.tenants.rest.Fixtures.asUser;
import static dev.infermint.tenants.rest.Fixtures.uniqueSlug;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.infermint.testsupport.TestTokens;

/** The audit log: every management action, who did it and in which request, newest first. */
@QuarkusTest
class AuditResourceTest {

  @Test
  void actionsAreListedNewestFirstWithActorAndRequestId() {
    String token = TestTokens.platformAdmin();
    String adminId = (String) KeycloakUsers.claims(token).get("sub");
    String slug = uniqueSlug("audited");
    String tenant = asUser(token).header("X-Request-Id", "req-create")
        .body(Map.of("name", "Audited " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(201).extract().path("id");
    String keyActor = UUID.randomUUID().toString();
    String keyId = asTenant(tenant, "tenant-admin", keyActor).header("X-Request-Id", "req-key")
        .body(Map.of("name", "audited key")).post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(201).extract().path("id");
    asTenant(tenant, "tenant-admin", keyActor).header("X-Request-Id", "req-revoke")
        .delete("/api/v1/tenants/" + tenant + "/api-keys/" + keyId).then().statusCode(204);
    asService().header("X-Request-Id", "req-plan").body(Map.of("plan", "pro"))
        .put("/internal/tenants/" + tenant + "/plan").then().statusCode(200);

    JsonPath all = asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(200)
        .body("events.action", equalTo(List.of("tenant.plan_changed", "api_key.revoked", "api_key.created",
            "tenant.created")))
        .body("events.requestId", equalTo(List.of("req-plan", "req-revoke", "req-key", "req-create")))
        .body("events.actorKind", equalTo(List.of("service", "api_key", "api_key", "user")))
        .body("events.target", equalTo(List.of(tenant, keyId, keyId, tenant)))
        .body("events[0].actor", equalTo("infermint-services"))
        .body("events[0].details.from", equalTo("free"), "events[0].details.to", equalTo("pro"))
        .body("events[1].actor", equalTo(keyActor))
        .body("events[2].details.name", equalTo("audited key"))
        .body("events[3].actor", equalTo(adminId))
        .body("events[3].details.slug", equalTo(slug))
        .body("events.occurredAt", everyItem(notNullValue()))
        .extract().jsonPath();
    List<Long> ids = all.getList("events.id", Long.class);
    List<Long> sorted = ids.stream().sorted((a, b) -> Long.compare(b, a)).toList();
    assertEquals(sorted, ids, "newest (highest id) first");

    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit?limit=2")
        .then().statusCode(200).body("events", hasSize(2)).body("events[1].action", equalTo("api_key.revoked"));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit?limit=2&before=" + ids.get(1))
        .then().statusCode(200)
        .body("events.action", equalTo(Arrays.asList("api_key.created", "tenant.created")));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit?before=" + ids.get(3))
        .then().statusCode(200).body("events", hasSize(0));
  }

  @Test
  void membersAreRefusedAndOtherTenantsDoNotExist() {
    String tenant = Fixtures.createTenant("audit-guard");
    String other = Fixtures.createTenant("audit-other");
    asTenant(tenant, "tenant-member").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    asTenant(tenant, "inference").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    asTenant(other, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asService().get("/api/v1/tenants/no-such-tenant/audit")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    // The other tenant's own log does not mention this one.
    asTenant(other, "tenant-admin").get("/api/v1/tenants/" + other + "/audit")
        .then().statusCode(200).body("events", hasSize(1)).body("events[0].target", equalTo(other));
  }

  @Test
  void badPagingNamesTheParameter() {
    String tenant = Fixtures.createTenant("audit-paging");
    String path = "/api/v1/tenants/" + tenant + "/audit";
    for (String limit : new String[] {"0", "201", "ten", "-1"}) {
      asTenant(tenant, "tenant-admin").get(path + "?limit=" + limit)
          .then().statusCode(422).contentType(PROBLEM_JSON)
          .body("code", equalTo("validation_failed"), "field", equalTo("limit"));
    }
    asTenant(tenant, "tenant-admin").get(path + "?before=yesterday")
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("before"));
  }
}
