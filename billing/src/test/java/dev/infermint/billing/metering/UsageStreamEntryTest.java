package dev.infermint.billing.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.infermint.billing.service.UsageRecord;
import dev.infermint.metering.UsageStream;

class UsageStreamEntryTest {

  private static final Instant AT = Instant.parse("2024-07-15T12:00:00.123Z");

  private static Map<String, String> fields() {
    return GatewayUsageStandIn.entry("t1", "minilm", 7, 12, AT);
  }

  private static String reason(Map<String, String> fields) {
    return assertThrows(IllegalArgumentException.class, () -> new UsageStreamEntry("1-0", fields).toRecord())
        .getMessage();
  }

  @Test
  void readsEveryFieldTheGatewayWrites() {
    Map<String, String> f = fields();
    f.put(UsageStream.OVERAGE, "1");
    f.put(UsageStream.REQUEST_ID, "client-1");
    UsageRecord r = new UsageStreamEntry("1-0", f).toRecord();
    assertEquals(f.get(UsageStream.ID), r.eventId());
    assertEquals("t1", r.tenantId());
    assertEquals("key-t1", r.keyId());
    assertEquals("minilm", r.model());
    assertEquals("1", r.modelVersion());
    assertEquals("/v2/models/{model}/infer", r.endpoint());
    assertEquals(7, r.units());
    assertEquals(12, r.computeMs());
    assertEquals(200, r.status());
    assertEquals(AT, r.occurredAt());
    assertTrue(r.overage());
    assertEquals("client-1", r.requestId());
  }

  @Test
  void correlationAndAttributionFieldsMayBeEmpty() {
    Map<String, String> f = fields();
    f.put(UsageStream.MODEL, "");
    f.put(UsageStream.MODEL_VERSION, "");
    f.put(UsageStream.KEY_ID, "");
    f.remove(UsageStream.REQUEST_ID);
    UsageRecord r = new UsageStreamEntry("1-0", f).toRecord();
    assertEquals("", r.model());
    assertNull(r.modelVersion());
    assertNull(r.keyId());
    assertNull(r.requestId());
    assertFalse(r.overage());
  }

  @Test
  void anOverlongRequestIdIsCutNotRefused() {
    Map<String, String> f = fields();
    f.put(UsageStream.REQUEST_ID, "r".repeat(500));
    assertEquals(UsageRecord.MAX_ID, new UsageStreamEntry("1-0", f).toRecord().requestId().length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "v", "tenant", "endpoint", "units", "computeMs", "status", "ts", "overage"})
  void aMissingBillingFieldIsNamed(String field) {
    Map<String, String> f = fields();
    f.remove(field);
    assertEquals(field + ": is required", reason(f));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "units     | -1    | units: must not be negative, got -1",
      "computeMs | 1.5   | computeMs: must be a whole number, got '1.5'",
      "ts        | later | ts: must be a whole number, got 'later'",
      "status    | 99    | status: must be an HTTP status between 100 and 599, got 99",
      "overage   | yes   | overage: must be 0 or 1, got 'yes'",
      "overage   | 2     | overage: must be 0 or 1, got '2'",
      "v         | 2     | v: unsupported schema version '2' (this billing reads 1)"})
  void anInvalidFieldIsNamedWithItsValue(String field, String value, String expected) {
    Map<String, String> f = fields();
    f.put(field, value);
    assertEquals(expected, reason(f));
  }

  @Test
  void aTenantLongerThanTheColumnIsRefused() {
    Map<String, String> f = fields();
    f.put(UsageStream.TENANT, "t".repeat(UsageRecord.MAX_TENANT_ID + 1));
    assertEquals("tenant: must be at most 64 characters", reason(f));
  }

  @Test
  void aDeletedEntryCannotBeBilled() {
    assertEquals("the entry was deleted from the stream before billing stored it", reason(null));
  }
}
