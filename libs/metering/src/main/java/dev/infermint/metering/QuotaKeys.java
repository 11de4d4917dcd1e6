package dev.infermint.metering;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Names and windows of the quota counters in Redis, shared by every gateway replica (which consume them) and by
 * whoever reads them for display. Both windows are fixed calendar windows in UTC: the minute
 * ({@code q:{tenant}:min:<epochMinute>}) and the month ({@code q:{tenant}:mon:<yyyy-MM>}). Neither key contains the
 * plan, so a plan change keeps what the tenant has used. The braces keep one tenant's keys in one Redis Cluster
 * slot, so the Lua script that takes both stays legal there.
 */
public final class QuotaKeys {

  private QuotaKeys() {
  }

  /**
   * @param tenantId the tenant
   * @param now the current instant
   * @return the key of the tenant's counter for the minute containing {@code now}
   */
  public static String minute(String tenantId, Instant now) {
    return "q:{" + tenantId + "}:min:" + Math.floorDiv(now.getEpochSecond(), 60);
  }

  /**
   * @param tenantId the tenant
   * @param now the current instant
   * @return the key of the tenant's counter for the calendar month (UTC) containing {@code now}
   */
  public static String month(String tenantId, Instant now) {
    return "q:{" + tenantId + "}:mon:" + YearMonth.from(now.atZone(ZoneOffset.UTC));
  }

  /**
   * @param now the current instant
   * @return whole seconds until the next minute starts (1..60)
   */
  public static long secondsToNextMinute(Instant now) {
    return 60 - Math.floorMod(now.getEpochSecond(), 60);
  }

  /**
   * @param now the current instant
   * @return the first instant of the next calendar month, UTC
   */
  public static Instant nextMonth(Instant now) {
    ZonedDateTime z = now.atZone(ZoneOffset.UTC);
    return z.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * @param now the current instant
   * @return whole seconds (rounded up, at least 1) until the next calendar month, UTC
   */
  public static long secondsToNextMonth(Instant now) {
    long millis = nextMonth(now).toEpochMilli() - now.toEpochMilli();
    return Math.max(1, (millis + 999) / 1000);
  }
}
