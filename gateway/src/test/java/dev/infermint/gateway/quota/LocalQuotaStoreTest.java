package dev.infermint.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalQuotaStoreTest {

  @Test
  void eachTenantHasItsOwnAllowanceAndAPlanChangeTakesEffectAtOnce() {
    LocalQuotaStore store = new LocalQuotaStore();
    PlanLimits two = new PlanLimits("tiny", 2, 100);
    assertEquals(1, store.tryConsume("a", two).remaining());
    assertTrue(store.tryConsume("a", two).admitted());
    QuotaDecision refused = store.tryConsume("a", two);
    assertFalse(refused.admitted());
    assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 60);
    assertTrue(store.tryConsume("b", two).admitted(), "tenant b is not charged for a's calls");
    QuotaDecision upgraded = store.tryConsume("a", new PlanLimits("pro", 10, 1000));
    assertTrue(upgraded.admitted());
    assertEquals(10, upgraded.limit());
  }
}
