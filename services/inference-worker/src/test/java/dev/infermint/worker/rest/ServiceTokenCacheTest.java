package dev.infermint.worker.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.auth.ServiceTokenCache;
import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.testsupport.TestTokens;
import dev.infermint.worker.LocalRegistryResource;

/**
 * A service token is verified once and then recognised until it expires; anything that is not byte for byte that
 * token is verified (and refused) as before, and the caller it asserts is read from each call's headers.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalRegistryResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
class ServiceTokenCacheTest {

  private static final String A = LocalRegistryResource.TENANT_A;

  @Inject
  ServiceTokenCache cache;

  private static io.restassured.specification.RequestSpecification asGateway(String token, String tenant) {
    return given().auth().oauth2(token).header("X-Infermint-Caller-Kind", "API_KEY")
        .header("X-Infermint-Subject", "key-1").header("X-Infermint-Tenant-Id", tenant)
        .header("X-Infermint-Roles", "inference");
  }

  @Test
  void aServiceTokenIsVerifiedOnceThenRecognised() {
    String token = TestTokens.freshService();
    long kept = cache.kept();
    long hits = cache.hits();

    for (int i = 0; i < 5; i++) {
      asGateway(token, A).get("/v2/models/affine").then().statusCode(200).body("name", equalTo("affine"));
    }

    assertEquals(kept + 1, cache.kept(), "the token was verified and kept once");
    assertEquals(hits + 4, cache.hits(), "the four later calls were answered without verifying it again");
  }

  @Test
  void theAssertedCallerStillComesFromEachCall() {
    String token = TestTokens.freshService();
    asGateway(token, A).get("/v2/models/affine").then().statusCode(200);
    long hits = cache.hits();

    // Same (kept) token, no tenant asserted: refused, as without the cache.
    given().auth().oauth2(token).get("/v2/models/affine").then().statusCode(403)
        .body("detail", containsString("no tenant"));

    assertEquals(hits + 1, cache.hits());
  }

  @Test
  void anAlteredExtendedOrUserTokenIsVerifiedAndRefusedAsBefore() {
    String token = TestTokens.freshService();
    asGateway(token, A).get("/v2/models/affine").then().statusCode(200);
    long kept = cache.kept();
    long hits = cache.hits();

    // One character of the signature changed.
    char last = token.charAt(token.length() - 2);
    String altered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    asGateway(altered, A).get("/v2/models/affine").then().statusCode(401);
    // The kept token with something after it.
    asGateway(token + "x", A).get("/v2/models/affine").then().statusCode(401);
    // A person's token is never kept: verified on each call, and it is not a service's.
    String admin = TestTokens.platformAdmin();
    asGateway(admin, A).get("/v2/models/affine").then().statusCode(403);
    asGateway(admin, A).get("/v2/models/affine").then().statusCode(403);

    assertEquals(hits, cache.hits(), "nothing but the kept token itself is recognised");
    assertEquals(kept, cache.kept(), "no identity but a service's is kept");
  }
}
