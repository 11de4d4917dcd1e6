package dev.infermint.billing.meterreports;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * SQL of {@code billing.meter_report} and the {@code meter_report_id} of {@code billing.usage_event}. Every method runs
 * in the caller's transaction.
 */
@ApplicationScoped
public class MeterReportRepository {

  /** pg advisory lock keys: one aggregator at a time, one claim at a time, across billing instances. */
  private static final long AGGREGATE_LOCK = 0x696e_666d_0001L;
  private static final long CLAIM_LOCK = 0x696e_666d_0002L;

  /**
   * Overage usage of one tenant in one minute, not yet reported.
   *
   * @param tenantId the tenant
   * @param minute start of the UTC minute
   */
  public record Group(String tenantId, Instant minute) {
  }

  @Inject
  EntityManager em;

  /** @return whether this transaction now holds the aggregation lock (false: another instance aggregates) */
  public boolean tryAggregationLock() {
    return (Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(?1)").setParameter(1, AGGREGATE_LOCK)
        .getSingleResult();
  }

  /**
   * @param before only events before this (a minute boundary)
   * @param limit at most this many groups, oldest minute first
   * @return the (tenant, minute) groups with unreported overage events
   */
  @SuppressWarnings("unchecked")
  public List<Group> unreported(Instant before, int limit) {
    List<Object[]> rows = em.createNativeQuery("""
        SELECT tenant_id, date_trunc('minute', occurred_at, 'UTC') AS m FROM {h-schema}usage_event
        WHERE overage AND meter_report_id IS NULL AND occurred_at < ?1
        GROUP BY 1, 2 ORDER BY 2, 1 LIMIT ?2""").setParameter(1, utc(before)).setParameter(2, limit)
        .getResultList();
    return rows.stream().map(r -> new Group((String) r[0], instant(r[1]))).toList();
  }

  /**
   * Puts a group's unreported overage events into a new report: marks them, then inserts the report with their
   * count, in the caller's transaction (the foreign key is checked at commit).
   *
   * @param group the tenant and minute
   * @param meterId the meter reported to
   * @return the report, or empty when no event was left to mark
   */
  public Optional<MeterReport> report(Group group, String meterId) {
    long id = ((Number) em.createNativeQuery(
        "SELECT nextval(pg_get_serial_sequence('billing.meter_report', 'id'))").getSingleResult()).longValue();
    int marked = em.createNativeQuery("""
        UPDATE {h-schema}usage_event SET meter_report_id = ?1
        WHERE overage AND meter_report_id IS NULL AND tenant_id = ?2 AND occurred_at >= ?3 AND occurred_at < ?4""")
        .setParameter(1, id).setParameter(2, group.tenantId()).setParameter(3, utc(group.minute()))
        .setParameter(4, utc(group.minute().plusSeconds(60))).executeUpdate();
    if (marked == 0) {
      return Optional.empty();
    }
    int seq = ((Number) em.createNativeQuery("""
        SELECT COALESCE(MAX(seq) + 1, 0) FROM {h-schema}meter_report
        WHERE tenant_id = ?1 AND meter_id = ?2 AND minute = ?3""").setParameter(1, group.tenantId())
        .setParameter(2, meterId).setParameter(3, utc(group.minute())).getSingleResult()).intValue();
    String identifier = MeterReport.identifier(group.tenantId(), meterId, group.minute(), seq);
    em.createNativeQuery("""
        INSERT INTO {h-schema}meter_report (id, identifier, tenant_id, meter_id, minute, seq, value)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""").setParameter(1, id).setParameter(2, identifier)
        .setParameter(3, group.tenantId()).setParameter(4, meterId).setParameter(5, utc(group.minute()))
        .setParameter(6, seq).setParameter(7, (long) marked).executeUpdate();
    return Optional.of(new MeterReport(id, identifier, group.tenantId(), meterId, group.minute(), seq, marked, 0));
  }

  /**
   * Claims the oldest due pending report whose tenant and meter no sender holds now, until {@code until}.
   *
   * @param now the time
   * @param until the claim's end
   * @return the report, or empty when none is due
   */
  @SuppressWarnings("unchecked")
  public Optional<MeterReport> claim(Instant now, Instant until) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(?1)").setParameter(1, CLAIM_LOCK).getSingleResult();
    List<Object[]> rows = em.createNativeQuery("""
        SELECT r.id, r.identifier, r.tenant_id, r.meter_id, r.minute, r.seq, r.value, r.attempts
        FROM {h-schema}meter_report r
        WHERE r.state = 'pending' AND r.next_attempt_at <= ?1 AND (r.claimed_until IS NULL OR r.claimed_until <= ?1)
          AND NOT EXISTS (SELECT 1 FROM {h-schema}meter_report o WHERE o.state = 'pending'
                          AND o.tenant_id = r.tenant_id AND o.meter_id = r.meter_id AND o.claimed_until > ?1)
        ORDER BY r.minute, r.id LIMIT 1""").setParameter(1, utc(now)).getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] r = rows.get(0);
    long id = ((Number) r[0]).longValue();
    em.createNativeQuery("UPDATE {h-schema}meter_report SET claimed_until = ?2 WHERE id = ?1").setParameter(1, id)
        .setParameter(2, utc(until)).executeUpdate();
    return Optional.of(new MeterReport(id, (String) r[1], (String) r[2], (String) r[3], instant(r[4]),
        ((Number) r[5]).intValue(), ((Number) r[6]).longValue(), ((Number) r[7]).intValue()));
  }

  /**
   * @param id the report
   * @param customerId the customer it was sent for
   * @param at when
   */
  public void sent(long id, String customerId, Instant at) {
    em.createNativeQuery("""
        UPDATE {h-schema}meter_report SET state = 'sent', customer_id = ?2, sent_at = ?3, attempts = attempts + 1,
          claimed_until = NULL, last_error = NULL WHERE id = ?1""").setParameter(1, id).setParameter(2, customerId)
        .setParameter(3, utc(at)).executeUpdate();
  }

  /**
   * @param id the report
   * @param nextAttemptAt when it may be tried again
   * @param error why this attempt failed
   */
  public void failed(long id, Instant nextAttemptAt, String error) {
    em.createNativeQuery("""
        UPDATE {h-schema}meter_report SET attempts = attempts + 1, next_attempt_at = ?2, claimed_until = NULL,
          last_error = ?3 WHERE id = ?1""").setParameter(1, id).setParameter(2, utc(nextAttemptAt))
        .setParameter(3, error).executeUpdate();
  }

  /**
   * @param id the report
   * @param reason why it will never be sent
   */
  public void expired(long id, String reason) {
    em.createNativeQuery("""
        UPDATE {h-schema}meter_report SET state = 'expired', claimed_until = NULL, last_error = ?2 WHERE id = ?1""")
        .setParameter(1, id).setParameter(2, reason).executeUpdate();
  }

  /** @return how many reports wait to be sent */
  public long pending() {
    return ((Number) em.createNativeQuery("SELECT count(*) FROM {h-schema}meter_report WHERE state = 'pending'")
        .getSingleResult()).longValue();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.time.ZonedDateTime z) {
      return z.toInstant();
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("Not a timestamp: " + value);
  }
}
