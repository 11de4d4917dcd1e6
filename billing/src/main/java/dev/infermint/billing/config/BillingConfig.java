package dev.infermint.billing.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the billing service itself, from {@code infermint.billing.*}. */
@ConfigMapping(prefix = "infermint.billing")
public interface BillingConfig {

  /**
   * Id of the payment provider: {@code stripe} or {@code none} (meter and rate usage, take no payments). Absent:
   * {@code stripe} when {@code STRIPE_API_KEY} is set, else {@code none}.
   */
  Optional<String> paymentProvider();

  /** The plan a tenant falls back to when its subscription ends or stays past due beyond the grace. */
  @WithDefault("free")
  String fallbackPlan();

  /** How long a past-due subscription keeps its plan before the tenant is moved to {@link #fallbackPlan()}. */
  @WithDefault("P7D")
  Duration pastDueGrace();

  /** How often past-due subscriptions are checked for the end of their grace. */
  @WithDefault("1m")
  Duration graceCheckInterval();

  /** How often every tenant is checked for a customer (tenants made while billing was down, or before Stripe). */
  @WithDefault("10m")
  Duration customerBackfillInterval();
}
