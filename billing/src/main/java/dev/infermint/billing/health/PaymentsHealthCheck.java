package dev.infermint.billing.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.infermint.billing.service.PaymentService;

/** Reports which payment provider is in use and whether payment sync is on; always up (metering works without). */
@Readiness
@ApplicationScoped
public class PaymentsHealthCheck implements HealthCheck {

  @Inject
  PaymentService payments;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("payments").up()
        .withData("provider", payments.provider().id())
        .withData("paymentSync", payments.provider().syncsPayments() ? "on" : "off")
        .build();
  }
}
