package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.ApiKeyResourceTest.sha256;
import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static dev.infermint.tenants.rest.Fixtures.asUser;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static dev.infermint.tenants.rest.Fixtures.uniqueEmail;
import static dev.infermint.tenants.rest.Fixtures.uniqueSlug;
import static dev.infermint.tenants.rest.KeycloakUsers.REALM;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.testsupport.TestTokens;

/** Suspending, reactivating and deleting tenants, and billing's plan change. */
@QuarkusTest
class TenantLifecycleTest {

  @Inject
  Keycloak keycloak;

  @Test
  void suspendedTenantsKeysReportTheStatusUntilReactivated() throws Exception {
    String tenant = createTenant("suspend");
    String key = createKey(tenant);
    String token = TestTokens.platformAdmin();

    asUser(token).post("/api/v1/tenants/" + tenant + "/suspend")
        .then().statusCode(200).body("id", equalTo(tenant), "status", equalTo("suspended"));
    asService().get("/internal/api-keys/" + sha256(key))
        .then().statusCode(200).body("tenantStatus", equalTo("suspended"));
    asTenant(tenant, "tenant-member").get("/api/v1/tenants/" + tenant)
        .then().statusCode(200).body("status", equalTo("suspended"));
    // Suspending again changes nothing.
    asUser(token).post("/api/v1/tenants/" + tenant + "/suspend")
        .then().statusCode(200).body("status", equalTo("suspended"));

    asUser(token).post("/api/v1/tenants/" + tenant + "/reactivate")
        .then().statusCode(200).body("status", equalTo("active"));
    asService().get("/internal/api-keys/" + sha256(key))
        .then().statusCode(200).body("tenantStatus", equalTo("active"));
    asService().get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(200)
        .body("events.action", equalTo(List.of("tenant.reactivated", "tenant.suspended", "api_key.created",
            "tenant.created")));
  }

  @Test
  void deletedTenantKeepsItsRowsButNothingWorks() throws Exception {
    String slug = uniqueSlug("doomed");
    String tenant = asService().body(Map.of("name", "Doomed " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(201).extract().path("id");
    String other = createTenant("survivor");
    String first = createKey(tenant);
    String second = createKey(tenant);
    String survivorKey = createKey(other);
    String userId = asService().body(Map.of("email", uniqueEmail("doomed"), "role", "tenant-admin"))
        .post("/api/v1/tenants/" + tenant + "/members").then().statusCode(201).extract().path("id");
    String token = TestTokens.platformAdmin();

    asUser(token).delete("/api/v1/tenants/" + tenant).then().statusCode(204);

    asService().get("/internal/api-keys/" + sha256(first))
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asService().get("/internal/api-keys/" + sha256(second)).then().statusCode(404);
    asService().get("/internal/api-keys/" + sha256(survivorKey)).then().statusCode(200);
    asUser(token).get("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(200).body("$", hasSize(2))
        .body("status", everyItem(equalTo("revoked"))).body("revokedAt", everyItem(notNullValue()));
    asUser(token).get("/api/v1/tenants/" + tenant)
        .then().statusCode(200).body("status", equalTo("deleted"), "slug", equalTo(slug));
    asService().get("/internal/tenants/" + tenant).then().statusCode(200).body("status", equalTo("deleted"));
    WebApplicationException gone = assertThrows(WebApplicationException.class,
        () -> keycloak.realm(REALM).organizations().get(tenant).toRepresentation());
    assertEquals(404, gone.getResponse().getStatus());
    assertFalse(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-admin"));
    assertFalse(KeycloakUsers.isMember(keycloak, tenant, userId));

    // Tenant callers no longer see it at all.
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants").then().statusCode(200).body("$", hasSize(0));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(404);
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/members").then().statusCode(404);
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit").then().statusCode(404);
    asTenant(tenant, "tenant-admin").body(Map.of("name", "late")).post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(404);

    // Nothing about it changes any more.
    asUser(token).post("/api/v1/tenants/" + tenant + "/reactivate")
        .then().statusCode(409).contentType(PROBLEM_JSON).body("code", equalTo("conflict"));
    asUser(token).post("/api/v1/tenants/" + tenant + "/suspend").then().statusCode(409);
    asUser(token).body(Map.of("name", "late")).post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(409).contentType(PROBLEM_JSON).body("code", equalTo("conflict"));
    asUser(token).body(Map.of("email", uniqueEmail("late"), "role", "tenant-member"))
        .post("/api/v1/tenants/" + tenant + "/members").then().statusCode(409);
    asService().body(Map.of("plan", "pro")).put("/internal/tenants/" + tenant + "/plan").then().statusCode(409);
    asService().body(Map.of("name", "Again " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(409).contentType(PROBLEM_JSON).body("code", equalTo("conflict"));

    // Deleting again is harmless; platform staff still read the members (none) and the audit log.
    asUser(token).delete("/api/v1/tenants/" + tenant).then().statusCode(204);
    asUser(token).get("/api/v1/tenants/" + tenant + "/members").then().statusCode(200).body("$", hasSize(0));
    asUser(token).get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(200)
        .body("events[0].action", equalTo("tenant.deleted"), "events[0].details.revokedKeys", equalTo(2))
        .body("events.action", not(hasItem("tenant.reactivated")));
    asUser(token).get("/api/v1/tenants").then().statusCode(200).body("id", hasItem(tenant));
    asUser(token).get("/api/v1/tenants/" + other).then().statusCode(200).body("status", equalTo("active"));
  }

  @Test
  void billingChangesThePlan() throws Exception {
    String tenant = createTenant("plan");
    String key = createKey(tenant);
    asService().body(Map.of("plan", "pro")).put("/internal/tenants/" + tenant + "/plan")
        .then().statusCode(200).body("id", equalTo(tenant), "plan", equalTo("pro"));
    asService().get("/internal/api-keys/" + sha256(key)).then().statusCode(200).body("plan", equalTo("pro"));
    asTenant(tenant, "tenant-member").get("/api/v1/tenants/" + tenant).then().statusCode(200)
        .body("plan", equalTo("pro"));

    // Billing has checked the plan against its catalog; this service checks only the shape of the id.
    String longest = "t" + "x".repeat(63);
    asService().body(Map.of("plan", longest)).put("/internal/tenants/" + tenant + "/plan")
        .then().statusCode(200).body("plan", equalTo(longest));
    asService().body(Map.of("plan", "team_2")).put("/internal/tenants/" + tenant + "/plan")
        .then().statusCode(200).body("plan", equalTo("team_2"));
    for (String bad : new String[] {"Platinum", "gold plan", "-free", "_pro", "", "x".repeat(65), "pro!"}) {
      asService().body(Map.of("plan", bad)).put("/internal/tenants/" + tenant + "/plan")
          .then().statusCode(422).contentType(PROBLEM_JSON)
          .body("code", equalTo("validation_failed"), "field", equalTo("plan"));
    }
    asService().body(Map.of("plan", "pro")).put("/internal/tenants/" + tenant + "/plan")
        .then().statusCode(200).body("plan", equalTo("pro"));
    asService().body(Map.of()).put("/internal/tenants/" + tenant + "/plan")
        .then().statusCode(422).body("field", equalTo("plan"));
    asService().body("{\"plan\": ").put("/internal/tenants/" + tenant + "/plan")
        .then().statusCode(400).contentType(PROBLEM_JSON).body("code", equalTo("malformed_request"));
    asService().body(Map.of("plan", "pro")).put("/internal/tenants/no-such-tenant/plan")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    given().contentType("application/json").body(Map.of("plan", "enterprise"))
        .put("/internal/tenants/" + tenant + "/plan")
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
    asService().get("/internal/tenants/" + tenant).then().statusCode(200).body("plan", equalTo("pro"));
  }

  @Test
  void onlyPlatformAdminsRunTheLifecycle() {
    String tenant = createTenant("lifecycle-guard");
    String other = createTenant("lifecycle-other");
    for (String action : new String[] {"suspend", "reactivate"}) {
      asTenant(tenant, "tenant-admin").post("/api/v1/tenants/" + tenant + "/" + action)
          .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
      asTenant(other, "tenant-admin").post("/api/v1/tenants/" + tenant + "/" + action)
          .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    }
    asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant)
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    asTenant(other, "tenant-admin").delete("/api/v1/tenants/" + tenant)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asService().post("/api/v1/tenants/no-such-tenant/suspend")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asService().delete("/api/v1/tenants/no-such-tenant").then().statusCode(404);
    asService().get("/api/v1/tenants/" + tenant).then().statusCode(200).body("status", equalTo("active"));
    assertTrue(keycloak.realm(REALM).organizations().get(tenant).toRepresentation() != null);
  }

  @Test
  void servicesPageThroughEveryTenant() {
    String first = createTenant("paging-a");
    String second = createTenant("paging-b");
    asService().delete("/api/v1/tenants/" + second).then().statusCode(204);
    java.util.List<String> seen = new java.util.ArrayList<>();
    java.util.Map<String, String> statuses = new java.util.HashMap<>();
    String after = null;
    int pages = 0;
    do {
      var spec = asService().queryParam("limit", 2);
      if (after != null) {
        spec = spec.queryParam("after", after);
      }
      io.restassured.path.json.JsonPath page = spec.get("/internal/tenants").then().statusCode(200).extract()
          .jsonPath();
      java.util.List<String> ids = page.getList("tenants.id");
      assertTrue(ids.size() <= 2, "page size " + ids);
      java.util.List<String> pageStatuses = page.getList("tenants.status");
      for (int i = 0; i < ids.size(); i++) {
        statuses.put(ids.get(i), pageStatuses.get(i));
      }
      seen.addAll(ids);
      after = page.getString("next");
      pages++;
    } while (after != null && pages < 1000);
    assertEquals(new java.util.TreeSet<>(seen).stream().toList(), seen, "by id, each once");
    assertEquals("active", statuses.get(first));
    assertEquals("deleted", statuses.get(second), "deleted tenants are listed, with their status");
    asService().queryParam("limit", 0).get("/internal/tenants")
        .then().statusCode(422).contentType(PROBLEM_JSON).body("code", equalTo("validation_failed"));
    given().get("/internal/tenants").then().statusCode(401).contentType(PROBLEM_JSON);
  }

  private static String createKey(String tenant) {
    return asTenant(tenant, "tenant-admin").body(Map.of("name", "k"))
        .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201).extract().path("key");
  }
}
