package dev.infermint.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class LocalQuotaStoreTest {

  private static final Instant NOW = Instant.parse("2026-12-31T23:59:30Z");

  @Test
  void eachTenantHasItsOwnMinuteAndTheMinuteRefillsAtItsEnd() {
    LocalQuotaStore store = new LocalQuotaStore();
    PlanLimits two = new PlanLimits("tiny", 2, 100, PlanLimits.Overage.BLOCK);
    assertEquals(1, store.consume("a", two, NOW).remaining());
    assertTrue(store.consume("a", two, NOW).admitted());
    QuotaDecision refused = store.consume("a", two, NOW);
    assertEquals(QuotaDecision.Outcome.RATE_LIMITED, refused.outcome());
    assertEquals(30, refused.retryAfterSeconds(), "until the next minute");
    assertTrue(store.consume("b", two, NOW).admitted(), "tenant b is not charged for a's calls");
    assertTrue(store.consume("a", two, NOW.plusSeconds(30)).admitted(), "a new minute");
  }

  @Test
  void theMonthBlocksOrBillsAndSurvivesAPlanChange() {
    LocalQuotaStore store = new LocalQuotaStore();
    PlanLimits block = new PlanLimits("small", 100, 2, PlanLimits.Overage.BLOCK);
    store.consume("a", block, NOW);
    store.consume("a", block, NOW);
    QuotaDecision refused = store.consume("a", block, NOW);
    assertEquals(QuotaDecision.Outcome.QUOTA_EXCEEDED, refused.outcome());
    assertEquals(30, refused.retryAfterSeconds(), "until the next month (UTC)");
    QuotaDecision billed = store.consume("a", new PlanLimits("big", 100, 2, PlanLimits.Overage.BILL), NOW);
    assertEquals(QuotaDecision.Outcome.ADMITTED_OVERAGE, billed.outcome(), "the count is not keyed by plan");
    assertEquals(3, billed.monthUsed());
    assertFalse(store.consume("a", block, NOW.plusSeconds(31)).overage(), "January starts at zero");
  }
}
