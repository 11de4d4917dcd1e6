package dev.infermint.billing.meterreports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class MeterReportTest {

  private static final Instant MINUTE = Instant.parse("2025-01-02T03:04:00Z");

  @Test
  void theIdentifierIsTheSameForTheSameReportAndDiffersForAnyOther() {
    String id = MeterReport.identifier("t1", "mtr_1", MINUTE, 0);
    assertEquals(id, MeterReport.identifier("t1", "mtr_1", MINUTE, 0));
    assertNotEquals(id, MeterReport.identifier("t2", "mtr_1", MINUTE, 0));
    assertNotEquals(id, MeterReport.identifier("t1", "mtr_2", MINUTE, 0));
    assertNotEquals(id, MeterReport.identifier("t1", "mtr_1", MINUTE.plusSeconds(60), 0));
    assertNotEquals(id, MeterReport.identifier("t1", "mtr_1", MINUTE, 1));
    assertTrue(id.startsWith("imr_") && id.length() <= 100, id);
    assertTrue(MeterReport.identifier("x".repeat(64), "mtr_" + "y".repeat(200), MINUTE, 99).length() <= 100);
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    Duration initial = Duration.ofSeconds(5);
    Duration max = Duration.ofMinutes(15);
    assertEquals(Duration.ofSeconds(5), MeterReportService.backoff(1, initial, max));
    assertEquals(Duration.ofSeconds(10), MeterReportService.backoff(2, initial, max));
    assertEquals(Duration.ofSeconds(40), MeterReportService.backoff(4, initial, max));
    assertEquals(max, MeterReportService.backoff(9, initial, max));
    assertEquals(max, MeterReportService.backoff(1000, initial, max));
  }
}
