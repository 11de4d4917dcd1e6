package dev.infermint.billing.payments;

import java.time.Instant;
import java.util.List;

/**
 * An invoice, the processor's or billing's own preview.
 *
 * @param id invoice id; null for an upcoming invoice or a preview
 * @param number the invoice number; null before it is finalized
 * @param status {@code draft}, {@code open}, {@code paid}, {@code uncollectible}, {@code void}, or {@code upcoming}
 * @param currency ISO 4217, lower case
 * @param total total in the currency's smallest unit (cents)
 * @param amountDue still to pay, smallest unit
 * @param periodStart start of the period billed
 * @param periodEnd end of the period billed
 * @param hostedUrl the processor's page for the invoice; null for previews
 * @param lines its lines
 */
public record InvoiceView(String id, String number, String status, String currency, long total, long amountDue,
    Instant periodStart, Instant periodEnd, String hostedUrl, List<Line> lines) {

  /**
   * @param description what is billed
   * @param quantity how many; null when not counted
   * @param amount line amount, smallest unit
   */
  public record Line(String description, Long quantity, long amount) {
  }
}
