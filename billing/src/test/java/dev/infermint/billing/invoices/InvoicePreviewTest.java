package dev.infermint.billing.invoices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

import org.junit.jupiter.api.Test;

import dev.infermint.billing.payments.InvoiceView;
import dev.infermint.billing.service.Plan;

/**
 * The local invoice preview shown while payment sync is off (the module's Quarkus tests run with Stripe on, so the
 * {@code none} path is checked here, on the pure computation the service uses).
 */
class InvoicePreviewTest {

  private static final Plan PRO = new Plan("pro", "Pro", new BigDecimal("49"), "usd",
      new Plan.Limits(600, 1_000_000), Plan.OVERAGE_BILL, new BigDecimal("0.50"));
  private static final Plan FREE = new Plan("free", "Free", BigDecimal.ZERO, "usd", new Plan.Limits(60, 10_000),
      Plan.OVERAGE_BLOCK, BigDecimal.ZERO);
  private static final YearMonth MARCH = YearMonth.of(2025, 3);

  @Test
  void planPricePlusOverageAtTheRatePer1000InCents() {
    InvoiceView preview = InvoicePreview.of(PRO, 2_345, MARCH);
    assertEquals(2, preview.lines().size());
    assertEquals(4900, preview.lines().get(0).amount());
    assertEquals(1L, preview.lines().get(0).quantity());
    // 2,345 × 0.50 USD / 1,000 = 1.1725 USD = 117.25 cents → 117
    assertEquals(2_345L, preview.lines().get(1).quantity());
    assertEquals(117, preview.lines().get(1).amount());
    assertEquals(5017, preview.total());
    assertEquals(5017, preview.amountDue());
    assertEquals("upcoming", preview.status());
    assertEquals("usd", preview.currency());
    assertEquals(Instant.parse("2025-03-01T00:00:00Z"), preview.periodStart());
    assertEquals(Instant.parse("2025-04-01T00:00:00Z"), preview.periodEnd());
    assertNull(preview.id());
    assertNull(preview.number());
    assertNull(preview.hostedUrl());
  }

  @Test
  void halfACentRoundsUp() {
    assertEquals(118, InvoicePreview.of(PRO, 2_350, MARCH).lines().get(1).amount());
    assertEquals(1, InvoicePreview.of(PRO, 10, MARCH).lines().get(1).amount());
    assertEquals(0, InvoicePreview.of(PRO, 9, MARCH).lines().get(1).amount());
  }

  @Test
  void aBillPlanWithoutOverageShowsTheRateAtZero() {
    InvoiceView preview = InvoicePreview.of(PRO, 0, MARCH);
    assertEquals(2, preview.lines().size());
    assertEquals(0, preview.lines().get(1).amount());
    assertEquals(4900, preview.total());
  }

  @Test
  void aFreePlanThatBlocksIsOneLineOfZero() {
    InvoiceView preview = InvoicePreview.of(FREE, 0, YearMonth.of(2024, 12));
    assertEquals(1, preview.lines().size());
    assertEquals(0, preview.total());
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), preview.periodEnd());
  }
}
