package dev.infermint.billing.license;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.AsService;

/**
 * The licence API against real PostgreSQL and real Keycloak tokens. Licence and machine files are verified with
 * jose4j, a JOSE implementation independent of the nimbus that signs them, so the format is standard EdDSA JWS.
 */
@QuarkusTest
class LicenseResourceTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  private static RequestSpecification platform() {
    return AsService.service().contentType(ContentType.JSON);
  }

  private static RequestSpecification tenantAdmin(String tenantId) {
    return AsService.apiKey(tenantId, "key-admin-" + tenantId, "tenant-admin").contentType(ContentType.JSON);
  }

  private static RequestSpecification withKey(String key) {
    return given().header("Authorization", "License " + key).contentType(ContentType.JSON);
  }

  private static Response issue(Map<String, Object> body) {
    return platform().body(body).post("/api/v1/licenses");
  }

  private static Map<String, Object> body(String tenant, int maxMachines, Object... more) {
    Map<String, Object> b = new HashMap<>(Map.of("tenantId", tenant, "product", "minilm-offline",
        "maxMachines", maxMachines, "entitlements", List.of("model:minilm", "feature:batch")));
    for (int i = 0; i < more.length; i += 2) {
      b.put((String) more[i], more[i + 1]);
    }
    return b;
  }

  private static Response issued(Map<String, Object> body) {
    Response r = issue(body);
    r.then().log().ifValidationFails().statusCode(201);
    return r;
  }

  private static String validate(String key, String fingerprint, List<String> entitlements) {
    Map<String, Object> b = new HashMap<>(Map.of("key", key));
    if (fingerprint != null) {
      b.put("fingerprint", fingerprint);
    }
    if (entitlements != null) {
      b.put("entitlements", entitlements);
    }
    return given().contentType(ContentType.JSON).body(b).post("/api/v1/licenses/validate")
        .then().log().ifValidationFails().statusCode(200).extract().path("code");
  }

  private static Response activate(String id, String key, String fingerprint) {
    return withKey(key).body(Map.of("fingerprint", fingerprint, "name", "box " + fingerprint))
        .post("/api/v1/licenses/{id}/machines", id);
  }

  /** jose4j, verifying with the published JWK Set (anonymous GET), picking the key by kid. */
  private static JwtClaims verifyWithJwks(String jws) throws Exception {
    String jwks = given().get("/api/v1/licenses/jwks.json").then().statusCode(200).extract().asString();
    List<JsonWebKey> keys = new JsonWebKeySet(jwks).getJsonWebKeys();
    String kid = new org.jose4j.jws.JsonWebSignature() {
      {
        setCompactSerialization(jws);
      }
    }.getKeyIdHeaderValue();
    JsonWebKey key = keys.stream().filter(k -> kid.equals(k.getKeyId())).findFirst().orElseThrow(
        () -> new AssertionError("kid " + kid + " is not in jwks.json " + jwks));
    return consumer(key.getKey()).processToClaims(jws);
  }

  private static JwtConsumer consumer(java.security.Key key) {
    return new JwtConsumerBuilder().setVerificationKey(key).setRequireExpirationTime().setRequireIssuedAt()
        .setExpectedIssuer("infermint").setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.EDDSA).build();
  }

  private static PublicKey publicKeyPem() throws Exception {
    String pem = given().get("/api/v1/licenses/public-key").then().statusCode(200)
        .contentType(startsWith("application/x-pem-file")).extract().asString();
    assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----"), pem);
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }

  @Test
  void issuedLicenceIsAStandardEdDsaJwsVerifiedOfflineByAnotherJoseLibrary() throws Exception {
    String tenant = UUID.randomUUID().toString();
    Instant expiresAt = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Response r = issued(body(tenant, 3, "expiresAt", expiresAt.toString()));
    r.then().body("status", equalTo("ACTIVE")).body("key", startsWith("lic_"))
        .body("policy.floating", equalTo(true)).body("policy.expirationStrategy", equalTo("REVOKE_ACCESS"));
    String jws = r.path("license");
    assertEquals(3, jws.split("\\.").length, jws);

    JwtClaims claims = verifyWithJwks(jws);
    assertEquals(r.path("id"), claims.getSubject());
    assertEquals(tenant, claims.getClaimValue("tenant"));
    assertEquals("minilm-offline", claims.getClaimValue("product"));
    assertEquals(List.of("model:minilm", "feature:batch"), claims.getStringListClaimValue("entitlements"));
    assertEquals(3L, claims.getClaimValue("maxMachines"));
    assertEquals(expiresAt.getEpochSecond(), claims.getExpirationTime().getValue());
    // The PEM public key (SubjectPublicKeyInfo) verifies it too, through the JDK's own Ed25519.
    assertEquals(r.path("id"), consumer(publicKeyPem()).processToClaims(jws).getSubject());

    String header = new String(Base64.getUrlDecoder().decode(jws.split("\\.")[0]));
    assertTrue(header.contains("\"alg\":\"EdDSA\"") && header.contains("\"kid\""), header);

    // Tampered claims fail verification.
    String[] parts = jws.split("\\.");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"maxMachines\":3", "\"maxMachines\":300")
            .getBytes()) + "." + parts[2];
    assertThrows(InvalidJwtException.class, () -> consumer(publicKeyPem()).processToClaims(forged));

    // The key is shown once; reading the licence again gives a fresh file but no key.
    tenantAdmin(tenant).get("/api/v1/licenses/{id}", r.path("id").toString())
        .then().log().ifValidationFails().statusCode(200).body("key", nullValue()).body("id", equalTo(r.path("id")));
  }

  @Test
  void validateAnswersSpecCodes() {
    String tenant = UUID.randomUUID().toString();
    Response r = issued(body(tenant, 2));
    String id = r.path("id");
    String key = r.path("key");
    assertEquals("VALID", validate(key, null, null));
    assertEquals("NOT_FOUND", validate("lic_" + "A".repeat(43), null, null));
    assertEquals("FINGERPRINT_NOT_ACTIVATED", validate(key, "fp-1", null));
    activate(id, key, "fp-1").then().log().ifValidationFails().statusCode(201);
    assertEquals("VALID", validate(key, "fp-1", List.of("model:minilm")));
    assertEquals("ENTITLEMENTS_MISSING", validate(key, "fp-1", List.of("model:minilm", "model:gpt")));
    given().contentType(ContentType.JSON).body(Map.of("key", key, "entitlements", List.of("model:gpt")))
        .post("/api/v1/licenses/validate").then().statusCode(200).body("valid", equalTo(false));

    platform().post("/api/v1/licenses/{id}/suspend", id).then().log().ifValidationFails().statusCode(200)
        .body("status", equalTo("SUSPENDED"));
    assertEquals("SUSPENDED", validate(key, "fp-1", null));
    activate(id, key, "fp-2").then().statusCode(403).contentType(startsWith(PROBLEM_JSON))
        .body("code", equalTo("SUSPENDED"));
    tenantAdmin(tenant).post("/api/v1/licenses/{id}/reinstate", id).then().statusCode(403);
    platform().post("/api/v1/licenses/{id}/reinstate", id).then().statusCode(200).body("status", equalTo("ACTIVE"));
    assertEquals("VALID", validate(key, "fp-1", null));
  }

  @Test
  void expiredLicenceValidatesAsExpiredAndActivatesNothing() {
    Response r = issued(body(UUID.randomUUID().toString(), 1,
        "expiresAt", Instant.now().plusSeconds(2).toString()));
    String key = r.path("key");
    assertEquals("VALID", validate(key, null, null));
    await().atMost(Duration.ofSeconds(15)).until(() -> "EXPIRED".equals(validate(key, null, null)));
    activate(r.path("id"), key, "late").then().statusCode(403).body("code", equalTo("EXPIRED"));
  }

  @Test
  void twentySimultaneousActivationsOnAOneMachineLicenceGiveExactlyOneSeat() throws Exception {
    Response r = issued(body(UUID.randomUUID().toString(), 1));
    String id = r.path("id");
    String key = r.path("key");
    int n = 20;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        String fingerprint = "race-" + i;
        Callable<Response> call = () -> {
          start.await();
          return activate(id, key, fingerprint);
        };
        answers.add(pool.submit(call));
      }
      start.countDown();
      int created = 0;
      int refused = 0;
      for (Future<Response> f : answers) {
        Response a = f.get();
        if (a.statusCode() == 201) {
          created++;
        } else {
          assertEquals(422, a.statusCode(), a.asString());
          assertEquals("TOO_MANY_MACHINES", a.path("code"));
          refused++;
        }
      }
      assertEquals(1, created);
      assertEquals(n - 1, refused);
    } finally {
      pool.shutdownNow();
    }
    withKey(key).get("/api/v1/licenses/{id}/machines", id).then().statusCode(200).body("$", hasSize(1));
  }

  @Test
  void deactivationFreesTheSeatAndTheSameFingerprintActivatesOnce() {
    String tenant = UUID.randomUUID().toString();
    Response r = issued(body(tenant, 1));
    String id = r.path("id");
    String key = r.path("key");
    String machine = activate(id, key, "fp-a").then().statusCode(201).body("fingerprint", equalTo("fp-a"))
        .extract().path("id");
    activate(id, key, "fp-a").then().statusCode(409).body("code", equalTo("FINGERPRINT_TAKEN"));
    activate(id, key, "fp-b").then().statusCode(422).contentType(startsWith(PROBLEM_JSON))
        .body("code", equalTo("TOO_MANY_MACHINES"));
    withKey(key).delete("/api/v1/licenses/{id}/machines/{m}", id, machine).then().statusCode(204);
    activate(id, key, "fp-b").then().statusCode(201);
  }

  @Test
  void nodeLockedMachineIsFreedByAnAdminOnly() {
    String tenant = UUID.randomUUID().toString();
    Response r = issued(body(tenant, 1, "policy", Map.of("floating", false)));
    String id = r.path("id");
    String key = r.path("key");
    String machine = activate(id, key, "fp-locked").then().statusCode(201).extract().path("id");
    withKey(key).delete("/api/v1/licenses/{id}/machines/{m}", id, machine).then().statusCode(403)
        .body("code", equalTo("forbidden"));
    tenantAdmin(UUID.randomUUID().toString()).delete("/api/v1/licenses/{id}/machines/{m}", id, machine)
        .then().statusCode(404).body("code", equalTo("not_found"));
    tenantAdmin(tenant).delete("/api/v1/licenses/{id}/machines/{m}", id, machine).then().statusCode(204);
    issue(body(tenant, 2, "policy", Map.of("floating", false))).then().statusCode(422)
        .body("field", equalTo("maxMachines"));
  }

  @Test
  void aMachineWithoutHeartbeatDiesAndFreesItsSeat() {
    Response r = issued(body(UUID.randomUUID().toString(), 1, "policy", Map.of("heartbeatSeconds", 2)));
    String id = r.path("id");
    String key = r.path("key");
    String machine = activate(id, key, "fp-alive").then().statusCode(201).extract().path("id");
    withKey(key).post("/api/v1/licenses/{id}/machines/{m}/heartbeat", id, machine).then().statusCode(200)
        .body("id", equalTo(machine));
    activate(id, key, "fp-next").then().statusCode(422).body("code", equalTo("TOO_MANY_MACHINES"));
    // No more heartbeats: once the window has passed the machine is dead, and its seat is free.
    await().atMost(Duration.ofSeconds(20)).until(() -> activate(id, key, "fp-next").statusCode() == 201);
    assertEquals("FINGERPRINT_NOT_ACTIVATED", validate(key, "fp-alive", null));
    withKey(key).post("/api/v1/licenses/{id}/machines/{m}/heartbeat", id, machine).then().statusCode(404);
  }

  @Test
  void machineFileIsBoundToTheFingerprintAndExpiresAfterItsTtl() throws Exception {
    Response r = issued(body(UUID.randomUUID().toString(), 2, "policy", Map.of("machineFileTtlSeconds", 3600)));
    String id = r.path("id");
    String key = r.path("key");
    String machine = activate(id, key, "fp-offline").then().statusCode(201).extract().path("id");
    Instant before = Instant.now();
    String file = withKey(key).post("/api/v1/licenses/{id}/machines/{m}/file", id, machine)
        .then().log().ifValidationFails().statusCode(200).extract().path("machineFile");
    JwtClaims claims = verifyWithJwks(file);
    assertEquals(machine, claims.getSubject());
    assertEquals(id, claims.getClaimValue("license"));
    assertEquals("fp-offline", claims.getClaimValue("fingerprint"));
    assertEquals(List.of("model:minilm", "feature:batch"), claims.getStringListClaimValue("entitlements"));
    long ttl = claims.getExpirationTime().getValue() - before.getEpochSecond();
    assertTrue(ttl >= 3599 && ttl <= 3601, "exp - now = " + ttl);

    // Another licence's key, or none, gets no machine file.
    String otherKey = issued(body(UUID.randomUUID().toString(), 1)).path("key");
    withKey(otherKey).post("/api/v1/licenses/{id}/machines/{m}/file", id, machine).then().statusCode(404);
    given().post("/api/v1/licenses/{id}/machines/{m}/file", id, machine).then().statusCode(401)
        .contentType(startsWith(PROBLEM_JSON)).body("code", equalTo("unauthenticated"));
  }

  @Test
  void rotationKeepsLicencesSignedBeforeVerifiable() throws Exception {
    String tenant = UUID.randomUUID().toString();
    String before = issued(body(tenant, 1)).path("license");
    String oldKid = kid(before);
    String newKid = platform().post("/api/v1/licenses/signing-keys").then().log().ifValidationFails()
        .statusCode(201).extract().path("kid");
    assertNotEquals(oldKid, newKid);
    given().get("/api/v1/licenses/jwks.json").then().statusCode(200)
        .body("keys.kid", hasItem(oldKid)).body("keys.kid", hasItem(newKid)).body("keys[0].kid", equalTo(newKid))
        .body("keys[0].kty", equalTo("OKP")).body("keys[0].crv", equalTo("Ed25519"))
        .body("keys[0]", not(org.hamcrest.Matchers.hasKey("d")));
    String after = issued(body(tenant, 1)).path("license");
    assertEquals(newKid, kid(after));
    verifyWithJwks(before);
    verifyWithJwks(after);
    // public-key is the key that signs now.
    consumer(publicKeyPem()).processToClaims(after);
    tenantAdmin(tenant).post("/api/v1/licenses/signing-keys").then().statusCode(403);
  }

  private static String kid(String jws) {
    String header = new String(Base64.getUrlDecoder().decode(jws.split("\\.")[0]));
    return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
  }

  @Test
  void anotherTenantGetsNotFoundOnEveryLicencePath() {
    String tenant = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    Response r = issued(body(tenant, 2));
    String id = r.path("id");
    String machine = activate(id, r.path("key"), "fp-x").then().statusCode(201).extract().path("id");

    tenantAdmin(tenant).get("/api/v1/licenses").then().statusCode(200).body("id", hasItem(id))
        .body("key", not(hasItem(r.path("key").toString())));
    tenantAdmin(other).get("/api/v1/licenses").then().statusCode(200).body("id", not(hasItem(id)));
    for (Response answer : List.of(
        tenantAdmin(other).get("/api/v1/licenses/{id}", id),
        tenantAdmin(other).get("/api/v1/licenses/{id}/machines", id),
        tenantAdmin(other).delete("/api/v1/licenses/{id}/machines/{m}", id, machine),
        tenantAdmin(tenant).get("/api/v1/licenses/{id}", UUID.randomUUID().toString()),
        tenantAdmin(tenant).get("/api/v1/licenses/{id}", "not-a-uuid"))) {
      answer.then().log().ifValidationFails().statusCode(404).contentType(startsWith(PROBLEM_JSON))
          .body("code", equalTo("not_found"));
    }
    tenantAdmin(tenant).get("/api/v1/licenses/{id}/machines", id).then().statusCode(200)
        .body("fingerprint", hasItem("fp-x"));
    given().get("/api/v1/licenses").then().statusCode(401).body("code", equalTo("unauthenticated"));
  }

  @Test
  void onlyPlatformAdminsIssueAndBadInputIsNamed() {
    String tenant = UUID.randomUUID().toString();
    tenantAdmin(tenant).body(body(tenant, 1)).post("/api/v1/licenses").then().statusCode(403)
        .contentType(startsWith(PROBLEM_JSON)).body("code", equalTo("forbidden"));
    given().contentType(ContentType.JSON).body(body(tenant, 1)).post("/api/v1/licenses").then().statusCode(401);
    Map<String, Map<String, Object>> bad = Map.of(
        "tenantId", body("", 1),
        "maxMachines", body(tenant, 0),
        "product", body(tenant, 1, "product", "bad product!"),
        "expiresAt", body(tenant, 1, "expiresAt", "tomorrow"),
        "entitlements", body(tenant, 1, "entitlements", List.of("Model:UPPER")),
        "policy.expirationStrategy", body(tenant, 1, "policy", Map.of("expirationStrategy", "LATER")));
    bad.forEach((field, b) -> issue(b).then().log().ifValidationFails().statusCode(422)
        .contentType(startsWith(PROBLEM_JSON)).body("code", equalTo("validation_failed"))
        .body("field", equalTo(field)));
    given().contentType(ContentType.JSON).body(Map.of("key", "not-a-key")).post("/api/v1/licenses/validate")
        .then().statusCode(422).body("field", equalTo("key"));
    Response r = issued(body(tenant, 1));
    given().contentType(ContentType.JSON).body(Map.of("key", r.path("key"), "fingerprint", "f".repeat(256)))
        .post("/api/v1/licenses/validate").then().statusCode(422).body("field", equalTo("fingerprint"));
    activate(r.path("id"), r.path("key"), "f".repeat(256)).then().statusCode(422)
        .body("field", equalTo("fingerprint"));
    given().contentType(ContentType.JSON).body(Map.of("fingerprint", "x"))
        .post("/api/v1/licenses/{id}/machines", r.path("id").toString()).then().statusCode(401)
        .body("code", equalTo("unauthenticated"));
    withKey("lic_" + "B".repeat(43)).body(Map.of("fingerprint", "x"))
        .post("/api/v1/licenses/{id}/machines", r.path("id").toString()).then().statusCode(404)
        .body("code", equalTo("not_found"));
  }
}
