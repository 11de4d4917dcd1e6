package dev.infermint.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.infermint.gateway.auth.ApiKeyAuthenticator;
import dev.infermint.metering.QuotaKeys;
import dev.infermint.metering.UsageStream;
import dev.infermint.testsupport.EmbeddedRedisResource;
import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.testsupport.TestTokens;

@QuarkusTest
@QuarkusTestResource(value = UpstreamStandIn.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = EventsDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = EmbeddedRedisResource.class, restrictToAnnotatedClass = false)
class GatewayRoutesTest {

  private static final String INFER = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}";

  static {
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }

  @BeforeEach
  void reset() {
    UpstreamStandIn.SEEN.clear();
    UpstreamStandIn.resetKeys();
    UpstreamStandIn.workerMode = UpstreamStandIn.WorkerMode.NORMAL;
    UsageStreamProbe.reset();
  }

  @Test
  void everyResponseCarriesARequestIdAndKeepsASafeClientOne() {
    given().get("/v2/health/live").then().statusCode(200).header("X-Request-Id", notNullValue());
    given().header("X-Request-Id", "trace-123").get("/v2/models/m").then().statusCode(401)
        .header("X-Request-Id", equalTo("trace-123"));
    String injected = given().header("X-Request-Id", "bad value\u0007").get("/v2/health/live")
        .header("X-Request-Id");
    assertTrue(!injected.contains(" "), "unsafe request id replaced: " + injected);
  }

  @Test
  void withoutAValidKeyTheCallerGets401Problem() {
    given().contentType(ContentType.JSON).body(INFER).post("/v2/models/m/infer")
        .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("unauthenticated"));
    given().auth().oauth2("imk_unknown").contentType(ContentType.JSON).body(INFER).post("/v2/models/m/infer")
        .then().statusCode(401).contentType("application/problem+json").body("code", equalTo("unauthenticated"));
    given().auth().oauth2("eyJhbGciOi.not-a-key.x").get("/v1/models").then().statusCode(401);
    assertTrue(UpstreamStandIn.SEEN.stream().noneMatch(s -> s.path().endsWith("/infer")), "nothing reached the worker");
  }

  @Test
  void admittedCallsReachTheWorkerAsTheirTenantAndAreMeteredOnce() throws InterruptedException {
    Response r = given().auth().oauth2("imk_good").header("X-Infermint-Tenant-Id", "tenant-2")
        .header("X-Infermint-Caller-Kind", "SERVICE").contentType(ContentType.JSON).body(INFER)
        .post("/v2/models/m/infer");
    r.then().statusCode(200).header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", "2")
        .header("X-RateLimit-Reset", notNullValue()).body("model_name", equalTo("m"));
    assertNull(r.header("X-Infermint-Units"), "internal headers never reach clients");
    UpstreamStandIn.Seen worker = UpstreamStandIn.SEEN.stream().filter(s -> s.path().endsWith("/infer")).findFirst()
        .orElseThrow();
    assertEquals("tenant-1", worker.header("X-Infermint-Tenant-Id"), "spoofed tenant header was stripped");
    assertEquals("API_KEY", worker.header("X-Infermint-Caller-Kind"), "spoofed caller kind was stripped");
    assertNull(TestTokens.whyNotAServiceToken(worker.header("Authorization")),
        "the gateway's service token, not the API key, travels further");
    assertEquals(r.header("X-Request-Id"), worker.header("X-Request-Id"));
    List<Map<String, String>> usage = UsageStreamProbe.await("tenant-1", 1);
    assertEquals(1, usage.size());
    Map<String, String> event = usage.get(0);
    assertEquals(r.header("X-Request-Id"), event.get(UsageStream.REQUEST_ID));
    assertEquals("2", event.get(UsageStream.UNITS));
    assertEquals("k1", event.get(UsageStream.KEY_ID));
    assertEquals("m", event.get(UsageStream.MODEL));
    assertEquals("3", event.get(UsageStream.MODEL_VERSION));
    assertEquals("/v2/models/{model}/infer", event.get(UsageStream.ENDPOINT));
    assertEquals("200", event.get(UsageStream.STATUS));
    assertEquals("0", event.get(UsageStream.OVERAGE));
  }

  @Test
  void pastThePlanLimitTheGatewayAnswers429WithRetryAfter() throws InterruptedException {
    // Minute windows are fixed (QuotaKeys): calls straddling a boundary would be counted in two minutes (CI once
    // admitted 2 + 3), so start with a few seconds of the minute left.
    if (QuotaKeys.secondsToNextMinute(Instant.now()) < 5) {
      long minute = Instant.now().getEpochSecond() / 60;
      await("the next minute").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> Instant.now().getEpochSecond() / 60 > minute);
    }
    long minute = Instant.now().getEpochSecond() / 60;
    int admitted = 0;
    Response refused = null;
    for (int i = 0; i < 10 && refused == null; i++) {
      Response r = given().auth().oauth2("imk_other").contentType(ContentType.JSON).body(INFER)
          .post("/v2/models/m/infer");
      if (r.statusCode() == 429) {
        refused = r;
      } else {
        assertEquals(200, r.statusCode());
        admitted++;
      }
    }
    assertEquals(minute, Instant.now().getEpochSecond() / 60, "the calls stayed within one minute");
    assertEquals(3, admitted, "the tiny plan admits 3 calls a minute");
    refused.then().contentType("application/problem+json").body("code", equalTo("rate_limited"))
        .header("Retry-After", notNullValue()).header("X-RateLimit-Remaining", "0");
    assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1);
    assertEquals(3, UsageStreamProbe.await("tenant-2", 3).size(), "refused calls are not metered");
  }

  @Test
  void keysWithoutTheInferenceScopeOrOfSuspendedTenantsAreRefused() {
    given().auth().oauth2("imk_admin").contentType(ContentType.JSON).body(INFER).post("/v2/models/m/infer")
        .then().statusCode(403).body("code", equalTo("insufficient_scope"));
    given().auth().oauth2("imk_suspended").get("/v1/models")
        .then().statusCode(403).body("code", equalTo("tenant_suspended"));
  }

  @Test
  void oversizedInferenceBodiesGet413() {
    given().auth().oauth2("imk_good").contentType(ContentType.JSON).body("x".repeat(5000))
        .post("/v2/models/m/infer")
        .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("payload_too_large"));
  }

  @Test
  void aRevokedKeyIsRefusedAsSoonAsTheTenantsServiceAnnouncesIt() throws Exception {
    given().auth().oauth2("imk_revokeme").get("/v1/models").then().statusCode(200);
    String hash = ApiKeyAuthenticator.sha256Hex("imk_revokeme");
    UpstreamStandIn.KEYS.remove(hash);
    // The key cache lives 60 s in this profile: only the NOTIFY can explain a prompt refusal.
    given().auth().oauth2("imk_revokeme").get("/v1/models").then().statusCode(200);
    notifyTenancy("{\"type\":\"api_key_revoked\",\"keyHash\":\"" + hash + "\",\"tenantId\":\"tenant-3\"}");
    assertEquals(401, awaitStatus("imk_revokeme", 401));
  }

  @Test
  void aSuspendedTenantIsRefusedAsSoonAsItIsAnnounced() throws Exception {
    given().auth().oauth2("imk_suspendme").get("/v1/models").then().statusCode(200);
    UpstreamStandIn.suspend("imk_suspendme");
    notifyTenancy("{\"type\":\"tenant_changed\",\"tenantId\":\"tenant-6\"}");
    assertEquals(403, awaitStatus("imk_suspendme", 403));
    given().auth().oauth2("imk_suspendme").get("/v1/models").then().body("code", equalTo("tenant_suspended"));
  }

  @Test
  void lastUseOfAKeyReachesTheTenantsServiceInABatch() throws InterruptedException {
    given().auth().oauth2("imk_good").get("/v1/models").then().statusCode(200);
    given().auth().oauth2("imk_good").get("/v1/models").then().statusCode(200);
    // Batches of keys used by earlier tests may still arrive: wait for the one that carries k1.
    UpstreamStandIn.Seen batch = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> UpstreamStandIn.SEEN.stream().filter(s -> s.path().equals("/internal/api-keys/last-used"))
            .filter(s -> s.body().contains("\"k1\"")).findFirst().orElse(null), java.util.Objects::nonNull);
    assertTrue(batch != null && batch.body().contains("\"k1\""), "batch: " + batch);
    assertNull(TestTokens.whyNotAServiceToken(batch.header("Authorization")));
  }

  /** The last request that reached the stand-in at that path (the last-used batches arrive at any moment). */
  private static UpstreamStandIn.Seen lastCallTo(String path) {
    List<UpstreamStandIn.Seen> calls = UpstreamStandIn.SEEN.stream().filter(s -> s.path().equals(path)).toList();
    assertTrue(!calls.isEmpty(), "nothing reached " + path);
    return calls.get(calls.size() - 1);
  }

  private static int awaitStatus(String key, int expected) {
    return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .until(() -> given().auth().oauth2(key).get("/v1/models").statusCode(), status -> status == expected);
  }

  static void notifyTenancy(String payload) throws Exception {
    String url = ConfigProvider.getConfig().getValue("infermint.gateway.events-db-url", String.class);
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
         PreparedStatement st = c.prepareStatement("SELECT pg_notify('infermint_tenancy', ?)")) {
      st.setString(1, payload);
      st.execute();
    }
  }

  @Test
  void managementCallsGoToTheOwningServiceWithTheRightCredentials() {
    given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.e30.sig").get("/api/v1/models/abc")
        .then().statusCode(200).body("path", equalTo("/api/v1/models/abc"));
    UpstreamStandIn.Seen jwtCall = lastCallTo("/api/v1/models/abc");
    assertEquals("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig", jwtCall.header("Authorization"), "a JWT passes through");
    assertNull(jwtCall.header("X-Infermint-Caller-Kind"), "nothing is asserted for a token");

    given().auth().oauth2("imk_admin").get("/api/v1/tenants/tenant-1/usage").then().statusCode(200);
    UpstreamStandIn.Seen keyCall = lastCallTo("/api/v1/tenants/tenant-1/usage");
    assertEquals("tenant-1", keyCall.header("X-Infermint-Tenant-Id"));
    assertEquals("tenant-admin", keyCall.header("X-Infermint-Roles"));
    assertNull(TestTokens.whyNotAServiceToken(keyCall.header("Authorization")), "the key is replaced");

    given().auth().oauth2("imk_good").get("/api/v1/tenants/tenant-1").then().statusCode(403)
        .body("code", equalTo("insufficient_scope"));
    given().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
  }

}
