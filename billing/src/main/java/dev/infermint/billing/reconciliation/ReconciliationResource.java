package dev.infermint.billing.reconciliation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.infermint.auth.Caller;

/**
 * {@code GET /api/v1/billing/reconciliation}: the latest reconciliation of billing's meter reports with the
 * processor's meter summaries; {@code POST} runs one now and answers it. Platform-admin only (others 403, no
 * credentials 401).
 */
@Path("/api/v1/billing/reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

  /**
   * The answer.
   *
   * @param ranAt when the run ran; null before the first
   * @param from first UTC day compared
   * @param to last UTC day compared
   * @param paymentSync whether a payment processor is configured
   * @param rows per tenant and day where either side is not 0
   * @param driftTotal sum of absolute drifts
   */
  public record ReconciliationResponse(Instant ranAt, LocalDate from, LocalDate to, boolean paymentSync,
      List<Row> rows, long driftTotal) {
  }

  /**
   * @param tenantId the tenant
   * @param customerId its customer at the processor
   * @param day UTC day
   * @param local overage requests billing sent for the day
   * @param stripe what the processor's meter holds for the day
   * @param drift {@code stripe - local}
   */
  public record Row(String tenantId, String customerId, LocalDate day, long local, long stripe, long drift) {
  }

  @Inject
  Caller caller;
  @Inject
  ReconciliationService reconciliation;

  /** @return the latest run */
  @GET
  public ReconciliationResponse latest() {
    caller.requirePlatformAdmin();
    return view(reconciliation.latest());
  }

  /** @return a run made now */
  @POST
  public ReconciliationResponse runNow() {
    caller.requirePlatformAdmin();
    return view(reconciliation.run());
  }

  private static ReconciliationResponse view(Reconciliation r) {
    return new ReconciliationResponse(r.ranAt(), r.from(), r.to(), r.paymentSync(), r.rows().stream()
        .map(x -> new Row(x.tenantId(), x.customerId(), x.day(), x.local(), x.stripe(), x.drift())).toList(),
        r.driftTotal());
  }
}
