package dev.infermint.billing.payments;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.config.BillingConfig;
import dev.infermint.billing.config.StripeConfig;

/**
 * Chooses the payment provider once and builds only that one: {@code infermint.billing.payment-provider}, or, when
 * that is not set, {@code stripe} if {@code STRIPE_API_KEY} is set and {@code none} otherwise.
 */
@ApplicationScoped
public class PaymentProviders {

  private static final Logger LOG = Logger.getLogger(PaymentProviders.class);

  /**
   * @param billing names the provider
   * @param stripe Stripe's settings, read only when Stripe is chosen
   * @return the provider
   * @throws IllegalStateException when the id names no provider, or names Stripe without an API key, so a
   *     misconfiguration fails the boot instead of silently taking no payments
   */
  @Produces
  @Singleton
  PaymentProvider provider(BillingConfig billing, StripeConfig stripe) {
    String id = billing.paymentProvider().map(s -> s.trim().toLowerCase(Locale.ROOT))
        .orElse(stripe.apiKey().isPresent() ? StripePaymentProvider.ID : NonePaymentProvider.ID);
    return switch (id) {
      case NonePaymentProvider.ID -> new NonePaymentProvider();
      case StripePaymentProvider.ID -> new StripePaymentProvider(stripe.apiKey().orElseThrow(
          () -> new IllegalStateException("infermint.billing.payment-provider=stripe needs STRIPE_API_KEY")), stripe);
      default -> throw new IllegalStateException("infermint.billing.payment-provider=" + id
          + " names no payment provider; known: none, stripe");
    };
  }

  void onStart(@Observes StartupEvent event, PaymentProvider provider) {
    if (provider.syncsPayments()) {
      LOG.infof("Payment provider '%s': subscriptions, usage and invoices are synchronised", provider.id());
    } else {
      LOG.warnf("Payment provider '%s': payment sync is OFF; usage is metered and rated but nothing is charged"
          + " (set STRIPE_API_KEY to take payments)", provider.id());
    }
  }
}
