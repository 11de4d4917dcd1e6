package dev.infermint.billing.service;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.config.BillingConfig;

/** Selects the configured {@link PaymentProvider} once and says at startup whether payment sync is on. */
@ApplicationScoped
public class PaymentService {

  private static final Logger LOG = Logger.getLogger(PaymentService.class);

  private final PaymentProvider provider;

  /**
   * @param config names the provider
   * @param providers every provider bean
   * @throws IllegalStateException when no provider has the configured id, so a typo fails the boot
   */
  @Inject
  public PaymentService(BillingConfig config, @Any Instance<PaymentProvider> providers) {
    String wanted = config.paymentProvider();
    this.provider = providers.stream().filter(p -> p.id().equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalStateException("infermint.billing.payment-provider=" + wanted
            + " names no payment provider; known: "
            + providers.stream().map(PaymentProvider::id).collect(Collectors.joining(", "))));
  }

  void onStart(@Observes StartupEvent event) {
    if (provider.syncsPayments()) {
      LOG.infof("Payment provider '%s': subscriptions and invoices are synchronised", provider.id());
    } else {
      LOG.warnf("Payment provider '%s': payment sync is OFF; usage is metered but nothing is charged",
          provider.id());
    }
  }

  /** @return the provider in use */
  public PaymentProvider provider() {
    return provider;
  }
}
