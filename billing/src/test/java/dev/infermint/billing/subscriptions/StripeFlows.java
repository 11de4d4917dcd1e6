package dev.infermint.billing.subscriptions;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.billing.StripeResource;
import dev.infermint.billing.rest.TenantsStandIn;
import dev.infermint.testsupport.TestTokens;
import dev.infermint.testsupport.stripe.StripeServer;
import dev.infermint.testsupport.stripe.StripeWebhookSigner;

/** What the subscription tests do again and again: tenants, checkouts paid at the Stripe stand-in, webhooks. */
final class StripeFlows {

  static final String WEBHOOK = "/api/v1/stripe/webhook";
  private static final ObjectMapper JSON = new ObjectMapper();

  private StripeFlows() {
  }

  static StripeServer stripe() {
    return StripeResource.server();
  }

  /** @return a new tenant in the tenants stand-in, on {@code plan} */
  static String newTenant(String plan) {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    TenantsStandIn.add(id, plan);
    return id;
  }

  /** @return the checkout's answer for a platform admin */
  static Response checkout(String tenantId, String plan) {
    return given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON)
        .body("{\"plan\":\"" + plan + "\"}").post("/api/v1/tenants/" + tenantId + "/checkout");
  }

  /** @return the session id of a checkout url ({@code <base>/checkout/<id>}) */
  static String sessionId(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /**
   * Opens a checkout as a platform admin and pays it at the stand-in; posts no webhook.
   *
   * @return {@code checkout.session.completed}, {@code customer.subscription.created}, {@code invoice.paid}
   */
  static List<String> buy(String tenantId, String plan) {
    String url = checkout(tenantId, plan).then().statusCode(200).extract().path("url");
    return stripe().completeCheckout(sessionId(url));
  }

  /** Buys the plan and posts every event the stand-in sends; @return the subscription id */
  static String subscribe(String tenantId, String plan) {
    List<String> events = buy(tenantId, plan);
    for (String event : events) {
      webhook(event).then().statusCode(200);
    }
    return objectId(events.get(1));
  }

  /** @return the answer to a webhook signed now with the endpoint's secret */
  static Response webhook(String payload) {
    return webhook(payload, StripeWebhookSigner.header(payload, StripeResource.WEBHOOK_SECRET));
  }

  /** @return the answer to a webhook with the given {@code Stripe-Signature} (null: none) */
  static Response webhook(String payload, String signature) {
    var request = given().contentType("application/json; charset=utf-8").body(payload);
    if (signature != null) {
      request.header("Stripe-Signature", signature);
    }
    return request.post(WEBHOOK);
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the event's {@code data.object.id} */
  static String objectId(String event) {
    return read(event).path("data").path("object").path("id").asText();
  }

  /** @return the event's {@code type} */
  static String type(String event) {
    return read(event).path("type").asText();
  }

  /** @return the event whose type is {@code type} */
  static String ofType(List<String> events, String type) {
    return events.stream().filter(e -> type.equals(type(e))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " in " + events));
  }
}
