package dev.infermint.billing.repository;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/** Stores usage events (idempotently, in batches) and aggregates them in SQL. */
@ApplicationScoped
public class UsageEventRepository implements PanacheRepository<UsageEventEntity> {

  /** Plain JDBC, so the table is named with the schema Flyway migrates ({@code quarkus.flyway.schemas}). */
  private static final String INSERT = """
      INSERT INTO billing.usage_event (event_id, request_id, tenant_id, key_id, model, model_version, endpoint, units,
        compute_ms, status, occurred_at, overage)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (event_id) DO NOTHING""";

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
   * Inserts events, skipping those whose event id is already stored, as one JDBC batch (one round trip, not one per
   * row) in the caller's transaction. Safe under concurrent duplicates because the database decides (unique key +
   * {@code ON CONFLICT DO NOTHING}), not a read-then-write.
   *
   * @param events the events (their {@code id} and {@code recordedAt} are ignored)
   * @return how many were inserted; the others were already stored
   */
  public int insertAbsent(List<UsageEventEntity> events) {
    if (events.isEmpty()) {
      return 0;
    }
    return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
        for (UsageEventEntity e : events) {
          insert.setString(1, e.eventId);
          insert.setString(2, e.requestId);
          insert.setString(3, e.tenantId);
          insert.setString(4, e.keyId);
          insert.setString(5, e.model);
          insert.setString(6, e.modelVersion);
          insert.setString(7, e.endpoint);
          insert.setLong(8, e.units);
          insert.setLong(9, e.computeMs);
          insert.setInt(10, e.status);
          insert.setObject(11, e.occurredAt.atOffset(ZoneOffset.UTC));
          insert.setBoolean(12, e.overage);
          insert.addBatch();
        }
        int inserted = 0;
        for (int count : insert.executeBatch()) {
          inserted += Math.max(count, 0);
        }
        return inserted;
      }
    });
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
