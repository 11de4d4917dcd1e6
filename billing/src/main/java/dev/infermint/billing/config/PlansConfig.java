package dev.infermint.billing.config;

import java.math.BigDecimal;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * The plans a tenant can be on, from {@code infermint.plans.*}: {@code infermint.plans.<id>.name},
 * {@code .price-monthly}, {@code .requests-per-minute}, {@code .requests-per-month}, {@code .overage},
 * {@code .overage-per1000}. The gateway enforces the limits and the overage policy.
 */
@ConfigMapping(prefix = "infermint.plans")
public interface PlansConfig {

  /** ISO 4217 currency of every plan's price, lower case as Stripe writes it. */
  @WithDefault("usd")
  String currency();

  /** The plans by id ({@code free}, {@code pro}, {@code enterprise}, ...). */
  @WithParentName
  Map<String, Plan> catalog();

  /** One plan: its price and the limits the gateway enforces. */
  interface Plan {

    /** Name shown to people. */
    String name();

    /** Price per month in units of {@link PlansConfig#currency()} (not cents); 0 for a free plan. */
    @WithDefault("0")
    BigDecimal priceMonthly();

    /** Requests admitted per minute (the gateway's token bucket capacity). */
    long requestsPerMinute();

    /** Requests admitted per calendar month, UTC. */
    long requestsPerMonth();

    /**
     * What the gateway does past {@code requests-per-month}: {@code block} answers 429 {@code quota_exceeded};
     * {@code bill} admits the call and bills it at {@link #overagePer1000()}. The per-minute limit always blocks.
     */
    @WithDefault("block")
    String overage();

    /** Price per 1,000 requests past the monthly quota, in units of {@link PlansConfig#currency()}; 0 with block. */
    @WithName("overage-per1000")
    @WithDefault("0")
    BigDecimal overagePer1000();
  }
}
