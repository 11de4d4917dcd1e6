package dev.infermint.billing.service;

import java.math.BigDecimal;

/**
 * A plan as {@code GET /api/v1/plans} lists it.
 *
 * @param id the plan id tenants are put on ({@code free}, {@code pro}, ...)
 * @param name the name shown to people
 * @param priceMonthly the monthly price in {@code currency} units
 * @param currency ISO 4217 code, lower case
 * @param limits what the gateway admits for a tenant on this plan
 * @param overage past the monthly quota: {@code block} (429 {@code quota_exceeded}) or {@code bill} (admitted, billed
 *     at {@code overagePer1000})
 * @param overagePer1000 price per 1,000 requests past the monthly quota, in {@code currency} units
 */
public record Plan(String id, String name, BigDecimal priceMonthly, String currency, Limits limits, String overage,
    BigDecimal overagePer1000) {

  /** Past the monthly quota the gateway answers 429 {@code quota_exceeded}. */
  public static final String OVERAGE_BLOCK = "block";
  /** Past the monthly quota the gateway admits calls and billing charges {@code overagePer1000}. */
  public static final String OVERAGE_BILL = "bill";

  /**
   * The limits of a plan.
   *
   * @param requestsPerMinute requests admitted per minute
   * @param requestsPerMonth requests admitted per calendar month (UTC)
   */
  public record Limits(long requestsPerMinute, long requestsPerMonth) {
  }
}
