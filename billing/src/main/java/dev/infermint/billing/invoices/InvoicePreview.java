package dev.infermint.billing.invoices;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.infermint.billing.payments.InvoiceView;
import dev.infermint.billing.service.Plan;

/** Billing's own preview of a month's invoice, used while payment sync is off. */
public final class InvoicePreview {

  private InvoicePreview() {
  }

  /**
   * The plan's monthly price plus the month's overage requests at {@code overagePer1000} per 1,000, in the
   * currency's cents (each line rounded half up, as Stripe rounds a line's amount).
   *
   * @param plan the tenant's plan
   * @param overageRequests requests admitted past the monthly quota in the month so far
   * @param month the calendar month, UTC
   * @return the preview: status {@code upcoming}, no id, number or hosted page
   */
  public static InvoiceView of(Plan plan, long overageRequests, YearMonth month) {
    List<InvoiceView.Line> lines = new ArrayList<>();
    long monthly = plan.priceMonthly().movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
    lines.add(new InvoiceView.Line(plan.name() + " plan, " + month, 1L, monthly));
    if (Plan.OVERAGE_BILL.equals(plan.overage()) || overageRequests > 0) {
      long overage = plan.overagePer1000().movePointRight(2).multiply(BigDecimal.valueOf(overageRequests))
          .divide(BigDecimal.valueOf(1000), 0, RoundingMode.HALF_UP).longValueExact();
      lines.add(new InvoiceView.Line("Requests past the monthly quota, " + plan.overagePer1000().toPlainString()
          + " " + plan.currency().toUpperCase(java.util.Locale.ROOT) + " per 1,000", overageRequests, overage));
    }
    long total = lines.stream().mapToLong(InvoiceView.Line::amount).sum();
    return new InvoiceView(null, null, "upcoming", plan.currency(), total, total,
        month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
        month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC), null, List.copyOf(lines));
  }
}
