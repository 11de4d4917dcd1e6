package dev.infermint.billing.payments;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.infermint.problem.ProblemMapper;
import dev.infermint.problem.Problems;

/**
 * How payment failures are answered: 409 {@code payment_sync_off} for what the configured provider cannot do,
 * 503 {@code payment_provider_unavailable} (with {@code Retry-After}) when the processor is down or throttling, 502
 * {@code payment_provider_failed} when it refused the call, 400 {@code invalid_signature} for a webhook that is not
 * provably the processor's.
 */
public class PaymentProblems {

  private static final Logger LOG = Logger.getLogger(PaymentProblems.class);

  private final ProblemMapper problems = new ProblemMapper();

  @ServerExceptionMapper
  public Response disabled(PaymentsDisabledException e, HttpHeaders headers) {
    return problems.mapProblem(Problems.of(409, "payment_sync_off", "Payment sync is off", e.getMessage()), headers);
  }

  @ServerExceptionMapper
  public Response failed(PaymentProviderException e, HttpHeaders headers) {
    LOG.warn(e.getMessage());
    if (e.retryable()) {
      return Response.fromResponse(problems.mapProblem(Problems.of(503, "payment_provider_unavailable",
          "Payment provider unavailable", "The payment provider could not be reached or is busy; nothing was "
              + "changed, try again shortly"), headers)).header("Retry-After", "5").build();
    }
    return problems.mapProblem(Problems.of(502, "payment_provider_failed", "Payment provider refused the call",
        e.getMessage()), headers);
  }

  @ServerExceptionMapper
  public Response rejected(WebhookRejectedException e, HttpHeaders headers) {
    LOG.warnf("Webhook refused: %s", e.getMessage());
    return problems.mapProblem(Problems.of(400, "invalid_signature", "Webhook signature invalid", e.getMessage()),
        headers);
  }
}
