package dev.infermint.billing.service;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.infermint.billing.config.PlansConfig;

/** The plan catalog, read from configuration once; cheapest plan first. */
@ApplicationScoped
public class PlanService {

  private final List<Plan> plans;

  /**
   * @param config the configured plans
   * @throws IllegalArgumentException when a plan has a negative price or limit, or an overage policy other than
   *     {@code block} or {@code bill}
   */
  @Inject
  public PlanService(PlansConfig config) {
    this.plans = config.catalog().entrySet().stream()
        .map(e -> toPlan(e.getKey(), e.getValue(), config.currency()))
        .sorted(Comparator.comparing(Plan::priceMonthly).thenComparing(Plan::id))
        .toList();
  }

  private static Plan toPlan(String id, PlansConfig.Plan p, String currency) {
    if (p.priceMonthly().signum() < 0 || p.requestsPerMinute() < 0 || p.requestsPerMonth() < 0
        || p.overagePer1000().signum() < 0) {
      throw new IllegalArgumentException("infermint.plans." + id + ": prices and limits must not be negative");
    }
    String overage = p.overage().trim().toLowerCase(Locale.ROOT);
    if (!overage.equals(Plan.OVERAGE_BLOCK) && !overage.equals(Plan.OVERAGE_BILL)) {
      throw new IllegalArgumentException("infermint.plans." + id + ".overage must be '" + Plan.OVERAGE_BLOCK
          + "' or '" + Plan.OVERAGE_BILL + "', got '" + p.overage() + "'");
    }
    return new Plan(id, p.name(), p.priceMonthly(), currency.toLowerCase(Locale.ROOT),
        new Plan.Limits(p.requestsPerMinute(), p.requestsPerMonth()), overage, p.overagePer1000());
  }

  /** @return every plan, cheapest first */
  public List<Plan> list() {
    return plans;
  }

  /**
   * @param id a plan id
   * @return the plan, if configured
   */
  public Optional<Plan> find(String id) {
    return plans.stream().filter(p -> p.id().equals(id)).findFirst();
  }
}
