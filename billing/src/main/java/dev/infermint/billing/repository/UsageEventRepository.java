package dev.infermint.billing.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/** Stores usage events and aggregates them in SQL. */
@ApplicationScoped
public class UsageEventRepository implements PanacheRepository<UsageEventEntity> {

  /** How a report groups events. */
  public enum Grouping {
    /** One row with the totals. */
    NONE,
    /** One row per UTC day with events. */
    DAY,
    /** One row per model. */
    MODEL
  }

  /**
   * One aggregated row.
   *
   * @param key the UTC day ({@code YYYY-MM-DD}) or the model, null without grouping
   * @param requests number of events
   * @param units sum of units
   * @param computeMs sum of compute milliseconds
   */
  public record Aggregate(String key, long requests, long units, long computeMs) {
  }

  /**
   * Inserts an event unless one with the same request id exists; safe under concurrent duplicates because the
   * database decides (unique key + {@code ON CONFLICT DO NOTHING}), not a read-then-write.
   *
   * @param e the event (its {@code id} and {@code recordedAt} are ignored)
   * @return true when inserted, false when the request id was already recorded
   */
  public boolean insertIfAbsent(UsageEventEntity e) {
    int inserted = getEntityManager().createNativeQuery("""
        INSERT INTO {h-schema}usage_event
          (request_id, tenant_id, model, endpoint, units, compute_ms, status, occurred_at)
        VALUES (:requestId, :tenantId, :model, :endpoint, :units, :computeMs, :status, :occurredAt)
        ON CONFLICT (request_id) DO NOTHING""")
        .setParameter("requestId", e.requestId)
        .setParameter("tenantId", e.tenantId)
        .setParameter("model", e.model)
        .setParameter("endpoint", e.endpoint)
        .setParameter("units", e.units)
        .setParameter("computeMs", e.computeMs)
        .setParameter("status", e.status)
        .setParameter("occurredAt", e.occurredAt.atOffset(ZoneOffset.UTC))
        .executeUpdate();
    return inserted == 1;
  }

  /**
   * @param requestId a request id
   * @return the event recorded for it
   */
  public Optional<UsageEventEntity> findByRequestId(String requestId) {
    return find("requestId", requestId).firstResultOptional();
  }

  /**
   * Aggregates a tenant's events in {@code [from, to)}.
   *
   * @param tenantId the tenant
   * @param from first instant included
   * @param to first instant excluded
   * @param grouping how to group
   * @return the rows, ordered by day or model; without grouping exactly one row (zeros when nothing happened)
   */
  @SuppressWarnings("unchecked")
  public List<Aggregate> aggregate(String tenantId, Instant from, Instant to, Grouping grouping) {
    String key = switch (grouping) {
      case NONE -> "CAST(NULL AS VARCHAR)";
      case DAY -> "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
      case MODEL -> "model";
    };
    String groupBy = grouping == Grouping.NONE ? "" : " GROUP BY 1 ORDER BY 1";
    List<Object[]> rows = getEntityManager().createNativeQuery("SELECT " + key + " AS k, COUNT(*),"
            + " CAST(COALESCE(SUM(units), 0) AS BIGINT), CAST(COALESCE(SUM(compute_ms), 0) AS BIGINT)"
            + " FROM {h-schema}usage_event"
            + " WHERE tenant_id = :tenantId AND occurred_at >= :from AND occurred_at < :to" + groupBy)
        .setParameter("tenantId", tenantId)
        .setParameter("from", from.atOffset(ZoneOffset.UTC))
        .setParameter("to", to.atOffset(ZoneOffset.UTC))
        .getResultList();
    return rows.stream()
        .map(r -> new Aggregate((String) r[0], number(r[1]), number(r[2]), number(r[3])))
        .toList();
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }
}
