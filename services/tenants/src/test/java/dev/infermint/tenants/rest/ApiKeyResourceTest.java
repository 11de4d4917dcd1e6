package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** API keys through the management API and the gateway's internal lookup. */
@QuarkusTest
class ApiKeyResourceTest {

  @Inject
  DataSource dataSource;

  @Test
  void createdKeyIsShownOnceAndStoredOnlyAsHash() throws Exception {
    String tenant = createTenant("keys");
    JsonPath created = asTenant(tenant, "tenant-admin").body(Map.of("name", "ci"))
        .post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(201)
        .body("key", startsWith("imk_"), "name", equalTo("ci"), "scopes", contains("inference"),
            "expiresAt", nullValue())
        .extract().jsonPath();
    String key = created.getString("key");
    String id = created.getString("id");
    assertEquals(47, key.length(), "imk_ + 43 base64url characters of 32 random bytes");
    assertTrue(key.substring(4).matches("[A-Za-z0-9_-]{43}"), key);
    assertEquals(key.substring(0, 12), created.getString("prefix"));

    asTenant(tenant, "tenant-member").get("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(200)
        .body("$", hasSize(1))
        .body("[0].id", equalTo(id), "[0].prefix", equalTo(key.substring(0, 12)), "[0].status", equalTo("active"))
        .body("[0]", not(hasKey("key")))
        .body("[0]", not(hasKey("keyHash")));

    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("select * from tenants.api_key where id = ?")) {
      s.setObject(1, UUID.fromString(id));
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(sha256(key), rs.getString("key_hash"));
        for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
          String value = rs.getString(col);
          assertFalse(value != null && value.contains(key.substring(12)),
              "column " + rs.getMetaData().getColumnName(col) + " holds the secret");
        }
      }
    }
  }

  @Test
  void internalLookupResolvesAKeyByItsHash() throws Exception {
    String tenant = createTenant("lookup");
    String expiresAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonPath created = asTenant(tenant, "tenant-admin")
        .body(Map.of("name", "both", "scopes", List.of("inference", "admin"), "expiresAt", expiresAt))
        .post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(201).body("expiresAt", equalTo(expiresAt)).extract().jsonPath();
    String slug = asService().get("/internal/tenants/" + tenant).then().statusCode(200).extract().path("slug");

    asService().get("/internal/api-keys/" + sha256(created.getString("key")))
        .then().statusCode(200)
        .body("keyId", equalTo(created.getString("id")), "tenantId", equalTo(tenant), "tenantSlug", equalTo(slug),
            "tenantStatus", equalTo("active"), "plan", equalTo("free"), "scopes", contains("inference", "admin"),
            "expiresAt", equalTo(expiresAt));
    // Hex in upper case names the same key.
    asService().get("/internal/api-keys/" + sha256(created.getString("key")).toUpperCase())
        .then().statusCode(200).body("keyId", equalTo(created.getString("id")));
  }

  @Test
  void revokedKeyStopsResolvingButStaysListed() throws Exception {
    String tenant = createTenant("revoke");
    JsonPath created = createKey(tenant);
    String hash = sha256(created.getString("key"));
    asService().get("/internal/api-keys/" + hash).then().statusCode(200);

    asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/api-keys/" + created.getString("id"))
        .then().statusCode(204);

    asService().get("/internal/api-keys/" + hash)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(200).body("[0].status", equalTo("revoked"), "[0].revokedAt", not(nullValue()));
    // Revoking again changes nothing.
    asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/api-keys/" + created.getString("id"))
        .then().statusCode(204);
  }

  @Test
  void expiredKeyStopsResolving() throws Exception {
    String tenant = createTenant("expire");
    String expiresAt = Instant.now().plus(1, ChronoUnit.HOURS).toString();
    JsonPath created = asTenant(tenant, "tenant-admin").body(Map.of("name", "short", "expiresAt", expiresAt))
        .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201).extract().jsonPath();
    String hash = sha256(created.getString("key"));
    asService().get("/internal/api-keys/" + hash).then().statusCode(200);

    // Let the hour pass in the database rather than on the clock.
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement(
             "update tenants.api_key set expires_at = now() - interval '1 second' where id = ?")) {
      s.setObject(1, UUID.fromString(created.getString("id")));
      assertEquals(1, s.executeUpdate());
    }

    asService().get("/internal/api-keys/" + hash)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(200).body("[0].status", equalTo("expired"));
  }

  @Test
  void anotherTenantsKeysAnswerNotFound() {
    String tenantA = createTenant("key-a");
    String tenantB = createTenant("key-b");
    String keyOfA = createKey(tenantA).getString("id");

    asTenant(tenantB, "tenant-admin").get("/api/v1/tenants/" + tenantA + "/api-keys")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(tenantB, "tenant-admin").body(Map.of("name", "stolen"))
        .post("/api/v1/tenants/" + tenantA + "/api-keys")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(tenantB, "tenant-admin").delete("/api/v1/tenants/" + tenantA + "/api-keys/" + keyOfA)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    // Tenant B addressing A's key under its own tenant id does not find it either.
    asTenant(tenantB, "tenant-admin").delete("/api/v1/tenants/" + tenantB + "/api-keys/" + keyOfA)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));

    asTenant(tenantA, "tenant-admin").get("/api/v1/tenants/" + tenantA + "/api-keys")
        .then().statusCode(200).body("[0].status", equalTo("active"));
  }

  @Test
  void membersListButDoNotIssueKeys() {
    String tenant = createTenant("member");
    asTenant(tenant, "tenant-member").body(Map.of("name", "nope"))
        .post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    asTenant(tenant, "tenant-member").get("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(200).body("$", hasSize(0));
  }

  @Test
  void badKeyRequestsNameTheField() {
    String tenant = createTenant("badkey");
    String path = "/api/v1/tenants/" + tenant + "/api-keys";
    asTenant(tenant, "tenant-admin").body(Map.of("name", "x", "scopes", List.of("inference", "root"))).post(path)
        .then().statusCode(422).contentType(PROBLEM_JSON)
        .body("code", equalTo("validation_failed"), "field", equalTo("scopes"));
    asTenant(tenant, "tenant-admin").body(Map.of("name", "x", "scopes", List.of())).post(path)
        .then().statusCode(422).body("field", equalTo("scopes"));
    asTenant(tenant, "tenant-admin").body(Map.of("name", "x", "expiresAt", "2001-01-01T00:00:00Z")).post(path)
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("expiresAt"));
    asTenant(tenant, "tenant-admin").body(Map.of("name", "x", "expiresAt", "next tuesday")).post(path)
        .then().statusCode(422).body("field", equalTo("expiresAt"));
    asTenant(tenant, "tenant-admin").body(Map.of("scopes", List.of("admin"))).post(path)
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("name"));
    asTenant(tenant, "tenant-admin").body(Map.of("name", "n".repeat(101))).post(path)
        .then().statusCode(422).body("field", equalTo("name"));
    asTenant(tenant, "tenant-admin").body("{\"name\": [").post(path)
        .then().statusCode(400).contentType(PROBLEM_JSON).body("code", equalTo("malformed_request"));
    asTenant(tenant, "tenant-admin").get(path).then().statusCode(200).body("$", hasSize(0));
  }

  @Test
  void unknownKeyIsNotFound() {
    String tenant = createTenant("nokey");
    asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/api-keys/" + UUID.randomUUID())
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/api-keys/not-a-uuid")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
  }

  @Test
  void lastUsedBatchesShowInTheListing() {
    String tenant = createTenant("lastused");
    String used = createKey(tenant).getString("id");
    String idle = createKey(tenant).getString("id");
    String path = "/api/v1/tenants/" + tenant + "/api-keys";
    String at = "2026-03-01T10:15:30Z";

    Map<String, String> batch = new LinkedHashMap<>();
    batch.put(used, at);
    batch.put(UUID.randomUUID().toString(), "2026-03-01T10:00:00Z");
    batch.put("not-a-key-id", "2026-03-01T10:00:00Z");
    asService().body(batch).post("/internal/api-keys/last-used").then().statusCode(204);
    asTenant(tenant, "tenant-member").get(path).then().statusCode(200)
        .body("find { it.id == '" + used + "' }.lastUsedAt", equalTo(at))
        .body("find { it.id == '" + idle + "' }.lastUsedAt", nullValue());

    // Reports from several gateways arrive in any order: an older one does not move the time back.
    asService().body(Map.of(used, "2026-02-01T00:00:00+01:00")).post("/internal/api-keys/last-used")
        .then().statusCode(204);
    asTenant(tenant, "tenant-member").get(path).then().statusCode(200)
        .body("find { it.id == '" + used + "' }.lastUsedAt", equalTo(at));
    asService().body(Map.of(used.toUpperCase(), "2026-03-02T00:00:00Z", idle, "2026-03-01T12:00:00+02:00"))
        .post("/internal/api-keys/last-used").then().statusCode(204);
    asTenant(tenant, "tenant-member").get(path).then().statusCode(200)
        .body("find { it.id == '" + used + "' }.lastUsedAt", equalTo("2026-03-02T00:00:00Z"))
        .body("find { it.id == '" + idle + "' }.lastUsedAt", equalTo("2026-03-01T10:00:00Z"));
  }

  @Test
  void badLastUsedBatchesAreRefused() {
    String tenant = createTenant("lastused-bad");
    String key = createKey(tenant).getString("id");
    asService().body(Map.of(key, "yesterday")).post("/internal/api-keys/last-used")
        .then().statusCode(422).contentType(PROBLEM_JSON)
        .body("code", equalTo("validation_failed"), "field", equalTo(key));
    asService().body("[\"" + key + "\"]").post("/internal/api-keys/last-used")
        .then().statusCode(400).contentType(PROBLEM_JSON).body("code", equalTo("malformed_request"));
    asService().body("{\"" + key + "\": ").post("/internal/api-keys/last-used")
        .then().statusCode(400).contentType(PROBLEM_JSON).body("code", equalTo("malformed_request"));
    given().contentType("application/json").body(Map.of(key, "2026-03-01T10:15:30Z"))
        .post("/internal/api-keys/last-used")
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(200).body("[0].lastUsedAt", nullValue());
  }

  private static JsonPath createKey(String tenant) {
    return asTenant(tenant, "tenant-admin").body(Map.of("name", "key"))
        .post("/api/v1/tenants/" + tenant + "/api-keys").then().statusCode(201).extract().jsonPath();
  }

  static String sha256(String key) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
