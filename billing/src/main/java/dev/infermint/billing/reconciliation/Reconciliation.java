package dev.infermint.billing.reconciliation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One reconciliation run: per tenant with a customer and UTC day, what billing sent to the meter against what the
 * processor's meter event summaries hold.
 *
 * @param ranAt when it ran; null when none has run yet
 * @param from first UTC day compared
 * @param to last UTC day compared (up to {@code upto} on that day)
 * @param upto usage after this instant was left out (the processor aggregates with a lag)
 * @param paymentSync whether a processor is configured; without one there is nothing to compare
 * @param rows the rows where either side is not 0
 * @param driftTotal the sum of the rows' absolute drift
 */
public record Reconciliation(Instant ranAt, LocalDate from, LocalDate to, Instant upto, boolean paymentSync,
    List<Row> rows, long driftTotal) {

  /**
   * @param tenantId the tenant
   * @param customerId its customer at the processor
   * @param day the UTC day
   * @param local overage requests billing's sent reports hold for the day
   * @param stripe what the meter holds for the customer and day
   * @param drift {@code stripe - local}: positive when the processor holds more than billing sent
   */
  public record Row(String tenantId, String customerId, LocalDate day, long local, long stripe, long drift) {
  }
}
