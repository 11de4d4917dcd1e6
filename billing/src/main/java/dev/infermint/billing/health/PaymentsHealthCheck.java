package dev.infermint.billing.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.infermint.billing.payments.PaymentProvider;

/** Reports which payment provider is in use and whether payment sync is on; always up (metering works without). */
@Readiness
@ApplicationScoped
public class PaymentsHealthCheck implements HealthCheck {

  @Inject
  PaymentProvider payments;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("payments").up()
        .withData("provider", payments.id())
        .withData("paymentSync", payments.syncsPayments() ? "on" : "off")
        .build();
  }
}
