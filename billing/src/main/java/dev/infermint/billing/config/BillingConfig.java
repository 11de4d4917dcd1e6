package dev.infermint.billing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the billing service itself, from {@code infermint.billing.*}. */
@ConfigMapping(prefix = "infermint.billing")
public interface BillingConfig {

  /**
   * Id of the {@code PaymentProvider} that syncs subscriptions and invoices: {@code none} meters and rates usage
   * without taking payments.
   */
  @WithDefault("none")
  String paymentProvider();
}
