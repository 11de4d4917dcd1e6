package dev.infermint.billing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.testsupport.stripe.StripeServer;

/**
 * Billing's tests run with the Stripe provider on, against libs/test-support's Stripe-shaped server (Stripe itself is
 * unreachable here): the real stripe-java client, pointed at it with {@code STRIPE_API_BASE}'s setting. One server
 * for the module's one boot; tests share it and tell their objects apart by their own tenants and customers.
 */
public class StripeResource implements QuarkusTestResourceLifecycleManager {

  /** The webhook endpoint's signing secret billing is configured with; sign test webhooks with it. */
  public static final String WEBHOOK_SECRET = "whsec_infermint_test_secret";

  private static volatile StripeServer server;

  /** @return the running server */
  public static StripeServer server() {
    if (server == null) {
      throw new IllegalStateException("StripeResource has not started");
    }
    return server;
  }

  @Override
  public Map<String, String> start() {
    server = new StripeServer().start();
    return Map.of("infermint.stripe.api-key", server.apiKey(),
        "infermint.stripe.api-base", server.baseUrl(),
        "infermint.stripe.webhook-secret", WEBHOOK_SECRET,
        // Tests count calls: stripe-java's own retries would blur them. Billing's retries are its own.
        "infermint.stripe.max-network-retries", "0");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
