package dev.infermint.billing.metering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;

import dev.infermint.billing.config.MeteringConfig;
import dev.infermint.metering.UsageStream;

/**
 * Appends usage entries to billing's stream as the gateway does ({@code XADD}, the fields of {@link UsageStream}),
 * and reads back what billing stored, straight from PostgreSQL. The real gateway writes the stream in the end-to-end
 * test.
 */
@ApplicationScoped
public class GatewayUsageStandIn {

  @Inject
  RedisDataSource redis;
  @Inject
  MeteringConfig config;
  @Inject
  DataSource db;

  /**
   * @param tenant the tenant
   * @param model the model
   * @param units units
   * @param computeMs compute milliseconds
   * @param at when the call was admitted
   * @return the fields of a well-formed entry with a new event id, as the gateway writes them
   */
  public static Map<String, String> entry(String tenant, String model, long units, long computeMs, Instant at) {
    Map<String, String> e = new HashMap<>();
    e.put(UsageStream.ID, UUID.randomUUID().toString());
    e.put(UsageStream.VERSION_OF_SCHEMA, UsageStream.SCHEMA);
    e.put(UsageStream.TENANT, tenant);
    e.put(UsageStream.KEY_ID, "key-" + tenant);
    e.put(UsageStream.MODEL, model);
    e.put(UsageStream.MODEL_VERSION, "1");
    e.put(UsageStream.ENDPOINT, "/v2/models/{model}/infer");
    e.put(UsageStream.UNITS, String.valueOf(units));
    e.put(UsageStream.COMPUTE_MS, String.valueOf(computeMs));
    e.put(UsageStream.STATUS, "200");
    e.put(UsageStream.TIMESTAMP, String.valueOf(at.toEpochMilli()));
    e.put(UsageStream.OVERAGE, "0");
    e.put(UsageStream.REQUEST_ID, "");
    return e;
  }

  /** @return the stream billing consumes in tests */
  public String streamKey() {
    return config.stream();
  }

  /** @return typed stream commands */
  public StreamCommands<String, String, String> stream() {
    return redis.stream(String.class);
  }

  /**
   * @param fields an entry's fields
   * @return its stream id
   */
  public String append(Map<String, String> fields) {
    return stream().xadd(config.stream(), fields);
  }

  /**
   * @param eventIds event ids
   * @return how many rows of {@code billing.usage_event} carry one of them
   */
  public long storedEvents(Collection<String> eventIds) {
    return query("SELECT count(*) FROM billing.usage_event WHERE event_id = ANY (?)", s -> {
      s.setArray(1, s.getConnection().createArrayOf("varchar", eventIds.toArray()));
    }, r -> r.getLong(1)).orElse(0L);
  }

  /**
   * @param streamId a stream entry's id
   * @return its dead letter, as {@code reason + " | " + fields}, if billing set it aside
   */
  public Optional<String> deadLetter(String streamId) {
    return query("SELECT reason || ' | ' || fields::text FROM billing.usage_dead_letter"
        + " WHERE stream_key = ? AND stream_id = ?", s -> {
          s.setString(1, config.stream());
          s.setString(2, streamId);
        }, r -> r.getString(1));
  }

  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private interface Reader<T> {
    T read(ResultSet r) throws SQLException;
  }

  private <T> Optional<T> query(String sql, Binder binder, Reader<T> reader) {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.ofNullable(reader.read(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
