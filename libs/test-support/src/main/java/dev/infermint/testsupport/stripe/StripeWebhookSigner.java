package dev.infermint.testsupport.stripe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook payloads the way Stripe does ({@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<payload>" keyed with the endpoint secret>}), so {@code com.stripe.net.Webhook.constructEvent(payload, header,
 * secret)} accepts them, and posts them to an endpoint under test.
 */
public final class StripeWebhookSigner {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private StripeWebhookSigner() {
  }

  /**
   * @param payload the exact body that will be sent
   * @param secret the endpoint's signing secret ({@code whsec_...})
   * @param timestampSeconds the signing time, unix seconds (an old one makes a stale signature)
   * @return the {@code Stripe-Signature} header value
   */
  public static String header(String payload, String secret, long timestampSeconds) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestampSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestampSeconds + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * @param payload the exact body that will be sent
   * @param secret the endpoint's signing secret
   * @return the {@code Stripe-Signature} header value, signed now
   */
  public static String header(String payload, String secret) {
    return header(payload, secret, Instant.now().getEpochSecond());
  }

  /**
   * POSTs a payload, signed now, as Stripe delivers a webhook ({@code Content-Type: application/json; charset=utf-8},
   * {@code Stripe-Signature}).
   *
   * @param url the webhook endpoint
   * @param payload the event JSON
   * @param secret the endpoint's signing secret
   * @return the HTTP status the endpoint answered
   * @throws IOException when the endpoint cannot be reached
   */
  public static int post(URI url, String payload, String secret) throws IOException {
    return postSigned(url, payload, header(payload, secret));
  }

  /**
   * POSTs a payload with a given {@code Stripe-Signature} header (e.g. a stale or wrong one).
   *
   * @param url the webhook endpoint
   * @param payload the event JSON
   * @param signatureHeader the header value to send
   * @return the HTTP status the endpoint answered
   * @throws IOException when the endpoint cannot be reached
   */
  public static int postSigned(URI url, String payload, String signatureHeader) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json; charset=utf-8").header("Stripe-Signature", signatureHeader)
        .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
        .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted posting a webhook to " + url, e);
    }
  }
}
