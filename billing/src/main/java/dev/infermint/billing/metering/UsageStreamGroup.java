package dev.infermint.billing.metering;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.redis.datasource.stream.XTrimArgs;
import io.vertx.mutiny.redis.client.Response;

/**
 * One consumer of a consumer group on the usage stream, as Redis sees it: blocking calls, each a single command,
 * on the caller's thread. Works with Redis 6.2 and later, RESP2 or RESP3.
 *
 * <p>Re-reading pending entries and trimming are raw commands: the typed client cannot represent a pending entry
 * whose data was deleted ({@code XREADGROUP ... 0} answers it with nil fields), and has no {@code XINFO}.
 */
public class UsageStreamGroup {

  private final RedisDataSource redis;
  private final StreamCommands<String, String, String> stream;
  private final String key;
  private final String group;
  private final String consumer;

  /**
   * @param redis the Redis to use
   * @param key the stream
   * @param group the consumer group
   * @param consumer this consumer's name in the group
   */
  public UsageStreamGroup(RedisDataSource redis, String key, String group, String consumer) {
    this.redis = redis;
    this.stream = redis.stream(String.class);
    this.key = key;
    this.group = group;
    this.consumer = consumer;
  }

  /** @return the stream key */
  public String key() {
    return key;
  }

  /** @return this consumer's name */
  public String consumer() {
    return consumer;
  }

  /**
   * Creates the group, and the stream, unless they exist. A new group starts at {@code 0}, the start of the stream,
   * so that entries the gateway wrote before billing's first start are billed too (with {@code $} they would be
   * skipped).
   *
   * @return true when the group was created now
   */
  public boolean ensureGroup() {
    try {
      stream.xgroupCreate(key, group, "0", new XGroupCreateArgs().mkstream());
      return true;
    } catch (RuntimeException e) {
      if (String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Reads entries never delivered to any consumer of the group ({@code XREADGROUP ... >}); they become pending for
   * this consumer until acknowledged.
   *
   * @param count most entries to read
   * @param block how long to wait when there are none
   * @return the entries, oldest first; empty when none came within {@code block}
   */
  public List<UsageStreamEntry> readNew(int count, Duration block) {
    List<StreamMessage<String, String, String>> messages = stream.xreadgroup(group, consumer, key, ">",
        new XReadGroupArgs().count(count).block(block));
    List<UsageStreamEntry> entries = new ArrayList<>(messages.size());
    for (StreamMessage<String, String, String> m : messages) {
      entries.add(new UsageStreamEntry(m.id(), m.payload()));
    }
    return entries;
  }

  /**
   * Reads entries delivered to this consumer and not acknowledged (it crashed, or storing them failed), with ids
   * after {@code after} ({@code XREADGROUP ... <id>}). An entry deleted from the stream meanwhile comes back with
   * null fields.
   *
   * @param after {@code 0} for the first page, then the last id of the previous page
   * @param count most entries to read
   * @return the entries, oldest first; empty when there are no more
   */
  public List<UsageStreamEntry> readOwnPending(String after, int count) {
    Response answer = redis.execute("XREADGROUP", "GROUP", group, consumer, "COUNT", String.valueOf(count),
        "STREAMS", key, after);
    List<UsageStreamEntry> entries = new ArrayList<>();
    if (answer == null) {
      return entries;
    }
    // RESP2 answers [[key, entries]], RESP3 {key: entries}; iterating a map yields [key, entries] pairs as well.
    for (Response perStream : answer) {
      for (Response entry : perStream.get(1)) {
        entries.add(new UsageStreamEntry(entry.get(0).toString(), fields(entry.get(1))));
      }
    }
    return entries;
  }

  private static Map<String, String> fields(Response flat) {
    if (flat == null) {
      return null;
    }
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(flat.get(i).toString(), flat.get(i + 1) == null ? null : flat.get(i + 1).toString());
    }
    return fields;
  }

  /**
   * Takes over every entry pending longer than {@code minIdle} for any consumer of the group (one that died and
   * will not come back under its name), so that {@link #readOwnPending} returns them here.
   *
   * @param minIdle how long an entry must have waited
   * @param count most entries claimed per command
   * @return how many were claimed
   */
  public int claimIdle(Duration minIdle, int count) {
    int claimed = 0;
    String cursor = "0-0";
    do {
      ClaimedMessages<String, String, String> page = stream.xautoclaim(key, group, consumer, minIdle, cursor, count,
          true);
      claimed += page.getMessages().size();
      cursor = page.getId();
    } while (cursor != null && !"0-0".equals(cursor));
    return claimed;
  }

  /**
   * Acknowledges entries: they are no longer pending and may be trimmed.
   *
   * @param ids stream ids
   */
  public void ack(List<String> ids) {
    if (!ids.isEmpty()) {
      stream.xack(key, group, ids.toArray(String[]::new));
    }
  }

  /** @return how many entries are delivered and not yet acknowledged, over all consumers of the group */
  public long pending() {
    return stream.xpending(key, group).getPendingCount();
  }

  /**
   * @return entries not yet delivered to the group, as Redis 7 reports it ({@code XINFO GROUPS} {@code lag});
   *     empty on Redis 6.2, or when Redis cannot tell
   */
  public OptionalLong lag() {
    Response lag = groupInfo().get("lag");
    return lag == null ? OptionalLong.empty() : OptionalLong.of(lag.toLong());
  }

  /**
   * Deletes entries that are acknowledged and older than {@code retention}: everything before the smallest of the
   * oldest pending id, the group's last-delivered id and now minus {@code retention} ({@code XTRIM ... MINID}). So a
   * pending entry, an entry not yet delivered, and anything younger than {@code retention} stay. Only this group is
   * considered: another group reading the stream would need its own rule.
   *
   * @param retention how long acknowledged entries are kept
   * @return how many entries were deleted
   */
  public long trim(Duration retention) {
    Response time = redis.execute("TIME");
    long nowMillis = time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
    StreamId horizon = new StreamId(Math.max(0, nowMillis - retention.toMillis()), 0);
    StreamId minId = StreamId.parse(groupInfo().get("last-delivered-id").toString()).min(horizon);
    String oldestPending = stream.xpending(key, group).getLowestId();
    if (oldestPending != null) {
      minId = minId.min(StreamId.parse(oldestPending));
    }
    return stream.xtrim(key, new XTrimArgs().minid(minId.toString()));
  }

  private Response groupInfo() {
    for (Response g : redis.execute("XINFO", "GROUPS", key)) {
      if (group.equals(g.get("name").toString())) {
        return g;
      }
    }
    throw new IllegalStateException("NOGROUP consumer group " + group + " of stream " + key + " does not exist");
  }

  /** A stream entry id, {@code <millis>-<sequence>}, ordered as Redis orders them. */
  record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    static StreamId parse(String id) {
      int dash = id.indexOf('-');
      return dash < 0 ? new StreamId(Long.parseLong(id), 0)
          : new StreamId(Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    }

    StreamId min(StreamId other) {
      return compareTo(other) <= 0 ? this : other;
    }

    @Override
    public int compareTo(StreamId o) {
      int c = Long.compareUnsigned(millis, o.millis);
      return c != 0 ? c : Long.compareUnsigned(sequence, o.sequence);
    }

    @Override
    public String toString() {
      return millis + "-" + sequence;
    }
  }
}
