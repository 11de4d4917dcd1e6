package dev.infermint.billing.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;

/** The consumer group's Redis side, each test on a stream of its own (not the one billing consumes). */
@QuarkusTest
class UsageStreamGroupTest {

  private static final Duration NO_WAIT = Duration.ofMillis(50);

  @Inject
  RedisDataSource redis;

  private final String key = "test:billing:group:" + UUID.randomUUID();

  @AfterEach
  void deleteStream() {
    redis.key().del(key);
  }

  private List<String> append(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(redis.stream(String.class).xadd(key, Map.of("n", String.valueOf(i))));
    }
    return ids;
  }

  private List<String> remaining() {
    return redis.stream(String.class).xrange(key, StreamRange.of("-", "+")).stream().map(StreamMessage::id).toList();
  }

  @Test
  void aNewGroupReadsWhatWasWrittenBeforeIt() {
    List<String> before = append(2);
    UsageStreamGroup group = new UsageStreamGroup(redis, key, "g", "c");
    assertTrue(group.ensureGroup());
    assertFalse(group.ensureGroup(), "an existing group is kept as it is");
    assertEquals(before, group.readNew(10, NO_WAIT).stream().map(UsageStreamEntry::id).toList());
  }

  @Test
  void trimDeletesOnlyAcknowledgedEntriesOlderThanTheRetention() {
    UsageStreamGroup group = new UsageStreamGroup(redis, key, "g", "c");
    group.ensureGroup();
    List<String> ids = append(6);
    assertEquals(4, group.readNew(4, NO_WAIT).size());
    group.ack(ids.subList(0, 2));

    assertEquals(0, group.trim(Duration.ofHours(24)), "everything is younger than the retention");
    assertEquals(ids, remaining());

    // Entries 3 and 4 are pending, 5 and 6 never delivered: only 1 and 2 may go.
    assertEquals(2, group.trim(Duration.ZERO));
    assertEquals(ids.subList(2, 6), remaining());

    group.ack(ids.subList(2, 4));
    group.trim(Duration.ZERO);
    assertEquals(ids.subList(3, 6), remaining(), "the last delivered entry and those after it stay");
    assertEquals(0, group.pending());
  }

  @Test
  void pendingEntriesAreReReadAndClaimedEvenWhenTheirDataIsGone() {
    UsageStreamGroup dead = new UsageStreamGroup(redis, key, "g", "dead");
    dead.ensureGroup();
    List<String> ids = append(3);
    assertEquals(3, dead.readNew(10, NO_WAIT).size());
    redis.stream(String.class).xdel(key, ids.get(0));

    UsageStreamGroup alive = new UsageStreamGroup(redis, key, "g", "alive");
    assertEquals(0, alive.claimIdle(Duration.ofHours(1), 2), "entries not idle long enough stay where they are");
    assertEquals(3, alive.claimIdle(Duration.ZERO, 2), "claimed over two pages");

    List<UsageStreamEntry> first = alive.readOwnPending("0", 2);
    assertEquals(ids.subList(0, 2), first.stream().map(UsageStreamEntry::id).toList());
    assertNull(first.get(0).fields(), "deleted from the stream");
    assertEquals("1", first.get(1).fields().get("n"));
    assertEquals(List.of(ids.get(2)), alive.readOwnPending(first.get(1).id(), 2).stream()
        .map(UsageStreamEntry::id).toList());
    assertTrue(dead.readOwnPending("0", 10).isEmpty(), "nothing is left with the dead consumer");
  }
}
