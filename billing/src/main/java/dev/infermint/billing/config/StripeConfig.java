package dev.infermint.billing.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Stripe, from {@code infermint.stripe.*} (SPEC §1): {@code STRIPE_API_KEY} turns the Stripe provider on,
 * {@code STRIPE_WEBHOOK_SECRET} verifies webhooks, {@code STRIPE_API_BASE} points stripe-java at another server
 * (tests). Read only when the Stripe provider is chosen.
 */
@ConfigMapping(prefix = "infermint.stripe")
public interface StripeConfig {

  /** Secret key ({@code sk_live_…} or {@code sk_test_…}); absent: payment sync is off. */
  Optional<String> apiKey();

  /** Signing secret of the webhook endpoint ({@code whsec_…}); absent: every webhook is refused. */
  Optional<String> webhookSecret();

  /** Base URL of Stripe's API; absent: {@code https://api.stripe.com}. */
  Optional<String> apiBase();

  /** How old a webhook's signed timestamp may be; Stripe's libraries default to 300 s. */
  @WithDefault("300s")
  Duration webhookTolerance();

  /** Retries stripe-java makes itself on network errors and 409/429/5xx (with Idempotency-Keys it sets). */
  @WithDefault("2")
  int maxNetworkRetries();

  /** Connect and read timeout of each Stripe call. */
  @WithDefault("10s")
  Duration timeout();

  /** Prefix of the lookup keys of the plans' prices ({@code <prefix><plan>_monthly}, {@code _overage}). */
  @WithDefault("infermint_")
  String lookupKeyPrefix();

  /** Event name of the billing meter that counts billable overage requests. */
  @WithDefault("infermint_overage_requests")
  String meterEventName();

  /** Where Checkout sends the customer after paying; {@code {CHECKOUT_SESSION_ID}} is Stripe's placeholder. */
  @WithDefault("http://localhost:8090/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}")
  String checkoutSuccessUrl();

  /** Where Checkout sends the customer who cancels. */
  @WithDefault("http://localhost:8090/billing?checkout=canceled")
  String checkoutCancelUrl();

  /** Where the Customer Portal's "return" link leads. */
  @WithDefault("http://localhost:8090/billing")
  String portalReturnUrl();
}
