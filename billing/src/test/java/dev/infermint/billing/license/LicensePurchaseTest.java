package dev.infermint.billing.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;

import dev.infermint.billing.StripeResource;
import dev.infermint.billing.rest.TenantsStandIn;
import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.stripe.StripeWebhookSigner;

/**
 * Buying a licence (issue #11 item 6): Checkout in payment mode, the signed {@code checkout.session.completed}
 * issuing the licence once however often it arrives, the buyer's one look at its key, and nothing for other tenants.
 */
@QuarkusTest
class LicensePurchaseTest {

  private static final String PRODUCT = "minilm-offline";

  @Test
  void theCatalogListsLicenceProductsWithoutAuth() {
    given().get("/api/v1/license-products").then().statusCode(200)
        .body("find { it.id == 'minilm-offline' }.entitlements", equalTo(List.of("model:all-minilm-l6-v2")))
        .body("find { it.id == 'minilm-offline' }.price", equalTo(99))
        .body("find { it.id == 'minilm-offline' }.maxMachines", equalTo(3))
        .body("find { it.id == 'minilm-offline' }.duration", equalTo("P1Y"));
  }

  @Test
  void aPaidCheckoutIssuesOneLicenceHoweverOftenTheWebhookComes() throws Exception {
    String tenant = newTenant();
    String url = adminOf(tenant).body(Map.of("product", PRODUCT))
        .post("/api/v1/tenants/" + tenant + "/license-checkout")
        .then().statusCode(200).body("url", startsWith(StripeResource.server().baseUrl())).extract().path("url");
    String sessionId = url.substring(url.lastIndexOf('/') + 1);
    var sent = StripeResource.server().requests("POST", "/v1/checkout/sessions");
    assertEquals("payment", sent.get(sent.size() - 1).param("mode"));

    // Not paid yet: no licence, nothing to claim.
    adminOf(tenant).post("/api/v1/tenants/" + tenant + "/license-purchases/" + sessionId + "/key")
        .then().statusCode(404);

    List<String> events = StripeResource.server().completeCheckout(sessionId);
    String completed = events.stream().filter(e -> JsonPath.from(e).getString("type")
        .equals("checkout.session.completed")).findFirst().orElseThrow();
    for (int i = 0; i < 2; i++) {
      assertEquals(200, webhook(completed));
    }
    // Another delivery of the same session under a new event id issues nothing either.
    String again = completed.replaceFirst("\"id\"\\s*:\\s*\"evt_[A-Za-z0-9]+\"",
        "\"id\":\"evt_again" + UUID.randomUUID().toString().replace("-", "") + "\"");
    assertTrue(!again.equals(completed));
    assertEquals(200, webhook(again));

    List<Map<String, Object>> licences = adminOf(tenant).get("/api/v1/licenses").then().statusCode(200).extract()
        .path("$");
    assertEquals(1, licences.size(), "one licence per paid session: " + licences);
    assertEquals(PRODUCT, licences.get(0).get("product"));
    assertEquals(List.of("model:all-minilm-l6-v2"), licences.get(0).get("entitlements"));
    assertEquals(3, licences.get(0).get("maxMachines"));
    assertNotNull(licences.get(0).get("expiresAt"), "a one-year product expires");
    String licenceId = (String) licences.get(0).get("id");

    // Another tenant sees nothing of it.
    String other = newTenant();
    adminOf(other).get("/api/v1/licenses/" + licenceId).then().statusCode(404);
    adminOf(other).post("/api/v1/tenants/" + tenant + "/license-purchases/" + sessionId + "/key")
        .then().statusCode(404);
    adminOf(other).post("/api/v1/tenants/" + other + "/license-purchases/" + sessionId + "/key")
        .then().statusCode(404);

    // The buyer sees the key once; it works, and the licence verifies offline with the published key.
    JsonPath claimed = adminOf(tenant).post("/api/v1/tenants/" + tenant + "/license-purchases/" + sessionId + "/key")
        .then().statusCode(200).body("id", equalTo(licenceId)).extract().jsonPath();
    String key = claimed.getString("key");
    given().contentType(ContentType.JSON).body(Map.of("key", key)).post("/api/v1/licenses/validate")
        .then().statusCode(200).body("valid", equalTo(true)).body("code", equalTo("VALID"));
    adminOf(tenant).post("/api/v1/tenants/" + tenant + "/license-purchases/" + sessionId + "/key")
        .then().statusCode(409).body("code", equalTo("key_already_claimed"));
    SignedJWT jws = SignedJWT.parse(claimed.getString("license"));
    JWKSet jwks = JWKSet.parse(given().get("/api/v1/licenses/jwks.json").then().statusCode(200).extract().asString());
    OctetKeyPair publicKey = (OctetKeyPair) jwks.getKeyByKeyId(jws.getHeader().getKeyID());
    assertTrue(jws.verify(new Ed25519Verifier(publicKey)));
    assertEquals(licenceId, jws.getJWTClaimsSet().getSubject());
  }

  @Test
  void badRequestsNameWhatIsWrong() {
    String tenant = newTenant();
    adminOf(tenant).body(Map.of("product", "gold-bars")).post("/api/v1/tenants/" + tenant + "/license-checkout")
        .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("product"))
        .body("detail", org.hamcrest.Matchers.containsString(PRODUCT));
    AsService.apiKey(tenant, "key-inf", "inference").contentType(ContentType.JSON).body(Map.of("product", PRODUCT))
        .post("/api/v1/tenants/" + tenant + "/license-checkout").then().statusCode(403);
    String other = newTenant();
    adminOf(other).body(Map.of("product", PRODUCT)).post("/api/v1/tenants/" + tenant + "/license-checkout")
        .then().statusCode(404);
    given().contentType(ContentType.JSON).body(Map.of("product", PRODUCT))
        .post("/api/v1/tenants/" + tenant + "/license-checkout").then().statusCode(401);
    given().get("/api/v1/license-products").then().statusCode(200).body("id", hasItem(PRODUCT));
  }

  private static String newTenant() {
    String id = "t-lic-" + UUID.randomUUID().toString().substring(0, 8);
    TenantsStandIn.add(id, "free");
    return id;
  }

  private static io.restassured.specification.RequestSpecification adminOf(String tenant) {
    return AsService.apiKey(tenant, "key-admin-" + tenant, "tenant-admin").contentType(ContentType.JSON);
  }

  private static int webhook(String payload) throws Exception {
    return given().contentType("application/json; charset=utf-8")
        .header("Stripe-Signature", StripeWebhookSigner.header(payload, StripeResource.WEBHOOK_SECRET))
        .body(payload).post("/api/v1/stripe/webhook").statusCode();
  }

}
