package dev.infermint.testsupport.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.stripe.StripeClient;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.Price;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import com.stripe.param.checkout.SessionCreateParams;
import com.sun.net.httpserver.HttpServer;

/** Stripe's signature scheme, checked by stripe-java's own {@link Webhook#constructEvent}. */
class StripeWebhookSignerTest {

  private static final String SECRET = "whsec_test_secret";

  private static StripeServer stripe;
  private static String payload;

  @BeforeAll
  static void event() throws StripeException {
    stripe = new StripeServer().start();
    StripeClient client = stripe.client();
    Price price = StripeFixtures.licensedPrice(client, StripeFixtures.product(client, "Pro").getId(),
        StripeFixtures.unique("pro"), 2000);
    Session session = client.v1().checkout().sessions().create(SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.SUBSCRIPTION).setSuccessUrl("https://app.test/ok")
        .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price.getId()).setQuantity(1L).build())
        .build());
    payload = stripe.completeCheckout(session.getId()).get(0);
  }

  @AfterAll
  static void stop() {
    stripe.close();
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  @Test
  void aSignedEventIsAccepted() throws SignatureVerificationException {
    String header = StripeWebhookSigner.header(payload, SECRET, now());

    Event event = Webhook.constructEvent(payload, header, SECRET, 300);

    assertTrue(header.matches("t=\\d+,v1=[0-9a-f]{64}"));
    assertEquals("checkout.session.completed", event.getType());
    assertTrue(event.getId().startsWith("evt_"));
    assertEquals("complete", ((Session) event.getDataObjectDeserializer().getObject().orElseThrow()).getStatus());
  }

  @Test
  void anAlteredPayloadIsRejected() {
    String header = StripeWebhookSigner.header(payload, SECRET, now());
    String altered = payload.replace("\"complete\"", "\"expired\"");

    assertThrows(SignatureVerificationException.class, () -> Webhook.constructEvent(altered, header, SECRET, 300));
  }

  @Test
  void anotherSecretIsRejected() {
    String header = StripeWebhookSigner.header(payload, "whsec_other", now());

    assertThrows(SignatureVerificationException.class, () -> Webhook.constructEvent(payload, header, SECRET, 300));
  }

  @Test
  void aStaleTimestampIsRejected() {
    String header = StripeWebhookSigner.header(payload, SECRET, now() - 301);

    assertThrows(SignatureVerificationException.class, () -> Webhook.constructEvent(payload, header, SECRET, 300));
  }

  @Test
  void postDeliversThePayloadWithItsSignature() throws IOException {
    AtomicReference<String> received = new AtomicReference<>();
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/webhooks/stripe", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int status;
      try {
        received.set(Webhook.constructEvent(body, exchange.getRequestHeaders().getFirst("Stripe-Signature"), SECRET,
            300).getType());
        status = 200;
      } catch (SignatureVerificationException e) {
        status = 400;
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    endpoint.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/webhooks/stripe");

      assertEquals(200, StripeWebhookSigner.post(url, payload, SECRET));
      assertEquals(400, StripeWebhookSigner.postSigned(url, payload, StripeWebhookSigner.header(payload, "whsec_x")));
      assertEquals("checkout.session.completed", received.get());
    } finally {
      endpoint.stop(0);
    }
  }
}
