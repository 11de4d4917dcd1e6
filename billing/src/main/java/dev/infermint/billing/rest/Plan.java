package dev.infermint.billing.rest;

import java.math.BigDecimal;

/**
 * A plan as {@code GET /api/v1/plans} lists it.
 *
 * @param id the plan id tenants are put on ({@code free}, {@code pro}, ...)
 * @param name the name shown to people
 * @param priceMonthly the monthly price in {@code currency} units
 * @param currency ISO 4217 code, lower case
 * @param limits what the gateway admits for a tenant on this plan
 */
public record Plan(String id, String name, BigDecimal priceMonthly, String currency, Limits limits) {

  /**
   * The limits of a plan.
   *
   * @param requestsPerMinute requests admitted per minute
   * @param requestsPerMonth requests admitted per calendar month (UTC)
   */
  public record Limits(long requestsPerMinute, long requestsPerMonth) {
  }
}
