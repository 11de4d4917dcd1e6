package dev.infermint.billing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.infermint.billing.config.PlansConfig;

/** The catalog's own checks, on configurations the shipped properties do not hold. */
class PlanServiceTest {

  private record Catalog(Map<String, PlansConfig.Plan> catalog) implements PlansConfig {
    @Override
    public String currency() {
      return "EUR";
    }
  }

  private record OnePlan(String overage, BigDecimal overagePer1000) implements PlansConfig.Plan {
    @Override
    public String name() {
      return "Team";
    }

    @Override
    public BigDecimal priceMonthly() {
      return BigDecimal.TEN;
    }

    @Override
    public long requestsPerMinute() {
      return 10;
    }

    @Override
    public long requestsPerMonth() {
      return 1000;
    }
  }

  private static PlanService catalog(String overage, String per1000) {
    return new PlanService(new Catalog(Map.of("team", new OnePlan(overage, new BigDecimal(per1000)))));
  }

  @Test
  void theOveragePolicyIsReadWhateverItsCase() {
    var plan = catalog(" Bill ", "1.25").find("team").orElseThrow();
    assertEquals("bill", plan.overage());
    assertEquals(new BigDecimal("1.25"), plan.overagePer1000());
    assertEquals("eur", plan.currency());
  }

  @Test
  void anUnknownOveragePolicyFailsTheBootNamingTheKey() {
    var e = assertThrows(IllegalArgumentException.class, () -> catalog("throttle", "0"));
    assertEquals("infermint.plans.team.overage must be 'block' or 'bill', got 'throttle'", e.getMessage());
  }

  @Test
  void aNegativeOveragePriceFailsTheBoot() {
    var e = assertThrows(IllegalArgumentException.class, () -> catalog("bill", "-0.01"));
    assertEquals("infermint.plans.team: prices and limits must not be negative", e.getMessage());
  }
}
