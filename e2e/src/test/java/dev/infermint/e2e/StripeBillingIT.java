package dev.infermint.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import dev.infermint.stack.Ports;
import dev.infermint.stack.ServiceProcess;
import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;
import dev.infermint.testsupport.stripe.StripeServer;
import dev.infermint.testsupport.stripe.StripeWebhookSigner;

/**
 * Payments end to end (issue #10). The shared stack runs billing without Stripe, as {@code ./infermint up} does on a
 * fresh machine: payment sync is off and says so. A second billing, started beside it with {@code STRIPE_API_KEY}
 * and {@code STRIPE_API_BASE} pointing at the Stripe-shaped server, takes a checkout: the customer pays (the server
 * completes the session), Stripe's signed webhooks reach billing, the subscription moves the tenant to {@code pro},
 * and the gateway applies pro's limit within 5 s; a failed payment keeps the plan for the grace, then the tenant is
 * on {@code free} again, with its key still working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StripeBillingIT {

  private static final String WEBHOOK_SECRET = "whsec_e2e_" + Long.toHexString(System.nanoTime());
  private static final Map<String, Object> CALL = Map.of("inputs", List.of(Map.of("name", "x",
      "shape", List.of(1, 3), "datatype", "FP32", "data", List.of(1, 2, 3))));

  private Stack stack;
  private StripeServer stripe;
  private ServiceProcess stripeBilling;
  private String admin;
  private String tenant;
  private String key;
  private String subscriptionId;

  @BeforeAll
  void start() throws Exception {
    stack = SharedStack.get();
    stripe = new StripeServer().start();
    stripeBilling = stack.startReplica("billing", Ports.free(), Map.of(
        "STRIPE_API_KEY", stripe.apiKey(), "STRIPE_API_BASE", stripe.baseUrl(),
        "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET,
        "INFERMINT_BILLING_PAST_DUE_GRACE", "PT3S"));
    admin = TestTokens.password(stack.keycloakUrl(), "admin", "admin");
    String slug = "stripe-e2e-" + Long.toHexString(System.nanoTime());
    tenant = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "Paying", "slug", slug))
        .post(stack.gatewayUrl() + "/api/v1/tenants").then().statusCode(201).extract().path("id");
    key = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "ci", "scopes", List.of("inference", "admin")))
        .post(stack.gatewayUrl() + "/api/v1/tenants/{id}/api-keys", tenant).then().statusCode(201).extract()
        .path("key");
    byte[] onnx = OnnxModelBuilder.affine(new float[] {1, 1, 1}, new float[] {0, 0, 0});
    given().auth().oauth2(key).multiPart("file", "affine.onnx", onnx, "application/octet-stream")
        .multiPart("task", "generic").post(stack.gatewayUrl() + "/api/v1/models/{m}/versions", "paid-affine")
        .then().statusCode(201);
  }

  @AfterAll
  void stop() {
    if (stripeBilling != null) {
      stripeBilling.close();
    }
    if (stripe != null) {
      stripe.close();
    }
  }

  @Test
  @Order(1)
  void withoutStripeTheApiSaysPaymentSyncIsOff() {
    given().auth().oauth2(key).get(stack.gatewayUrl() + "/api/v1/tenants/{id}/invoices", tenant)
        .then().statusCode(200).body("paymentSync", equalTo(false)).body("invoices.size()", equalTo(0))
        .body("upcoming.status", equalTo("upcoming")).body("upcoming.total", equalTo(0));
    given().auth().oauth2(key).contentType(ContentType.JSON).body(Map.of("plan", "pro"))
        .post(stack.gatewayUrl() + "/api/v1/tenants/{id}/checkout", tenant)
        .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("payment_sync_off"));
  }

  @Test
  @Order(2)
  void checkoutThenWebhookMovesTheTenantToProAtTheGatewayWithinFiveSeconds() throws Exception {
    assertEquals(limit("free"), callLimit(), "a new tenant is on free");
    String url = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("plan", "pro"))
        .post(stripeBilling.url() + "/api/v1/tenants/{id}/checkout", tenant)
        .then().statusCode(200).body("url", startsWith(stripe.baseUrl())).extract().path("url");
    String sessionId = url.substring(url.lastIndexOf('/') + 1);

    List<String> events = stripe.completeCheckout(sessionId);
    for (String event : events) {
      assertEquals(200, StripeWebhookSigner.post(webhook(), event, WEBHOOK_SECRET), event);
      String type = JsonPath.from(event).getString("type");
      if (type.equals("customer.subscription.created")) {
        subscriptionId = JsonPath.from(event).getString("data.object.id");
      }
    }
    String pro = limit("pro");
    await("the gateway applies pro's limit").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> pro.equals(callLimit()));
    // A replayed event changes nothing and is answered 2xx (Stripe would otherwise retry it for days).
    assertEquals(200, StripeWebhookSigner.post(webhook(), events.get(0), WEBHOOK_SECRET));
    // A forged one is refused.
    assertEquals(400, StripeWebhookSigner.post(webhook(), events.get(0), "whsec_forged"));
  }

  @Test
  @Order(3)
  void aFailedPaymentKeepsThePlanForTheGraceThenTheTenantIsOnFree() throws Exception {
    for (String event : stripe.invoicePaymentFailed(subscriptionId)) {
      assertEquals(200, StripeWebhookSigner.post(webhook(), event, WEBHOOK_SECRET), event);
    }
    assertEquals(limit("pro"), callLimit(), "past due keeps the plan during the grace");
    String free = limit("free");
    await("past the 3 s grace the tenant is on free").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200)).until(() -> free.equals(callLimit()));
    // Nothing was deleted: the key still works.
    given().auth().oauth2(key).contentType(ContentType.JSON).body(CALL)
        .post(stack.gatewayUrl() + "/v2/models/paid-affine/infer").then().statusCode(200);
  }

  private URI webhook() {
    return URI.create(stripeBilling.url() + "/api/v1/stripe/webhook");
  }

  /** @return the per-minute limit the gateway applies to the tenant now */
  private String callLimit() {
    Response call = given().auth().oauth2(key).contentType(ContentType.JSON).body(CALL)
        .post(stack.gatewayUrl() + "/v2/models/paid-affine/infer");
    call.then().statusCode(200);
    return call.header("X-RateLimit-Limit");
  }

  private String limit(String plan) {
    Integer perMinute = given().get(stack.gatewayUrl() + "/api/v1/plans").then().statusCode(200).extract()
        .path("find { it.id == '" + plan + "' }.limits.requestsPerMinute");
    return String.valueOf(perMinute);
  }
}
