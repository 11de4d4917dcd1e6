package dev.infermint.billing.subscriptions;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;

/**
 * {@code POST /api/v1/stripe/webhook}: Stripe's webhook endpoint. It takes no token (like
 * {@code POST /api/v1/licenses/validate}, it never asks for a {@code Caller}): the {@code Stripe-Signature} over the
 * raw body is the authentication, and a body that it does not prove is answered 400 {@code invalid_signature}.
 * Processed, replayed and ignored events are answered 200 {@code {received, id, type, outcome}}; 503 when Stripe
 * or the tenants service cannot be reached, so Stripe delivers the event again.
 */
@Path("/api/v1/stripe/webhook")
public class StripeWebhookResource {

  /** Stripe's signature header. */
  public static final String SIGNATURE = "Stripe-Signature";

  /**
   * What was done with the event.
   *
   * @param received always true
   * @param id the event id
   * @param type the event type
   * @param outcome {@code synced}, {@code ignored}, {@code tenant_unknown}, {@code object_missing} or
   *     {@code duplicate} (processed before; nothing done)
   */
  public record WebhookAnswer(boolean received, String id, String type, String outcome) {
  }

  @Inject
  WebhookService webhooks;

  /**
   * @param payload the body exactly as Stripe sent it (read as text, never re-serialised: the signature covers it)
   * @param signature the {@code Stripe-Signature} header
   * @return what was done
   */
  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public WebhookAnswer receive(String payload, @RestHeader(SIGNATURE) String signature) {
    WebhookService.Receipt receipt = webhooks.receive(payload == null ? "" : payload, signature);
    return new WebhookAnswer(true, receipt.event().id(), receipt.event().type(), receipt.outcome().value());
  }
}
