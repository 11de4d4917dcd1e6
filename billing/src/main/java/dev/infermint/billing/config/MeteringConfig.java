package dev.infermint.billing.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.infermint.metering.UsageStream;

/** How billing consumes the gateway's usage stream, from {@code infermint.metering.*}. */
@ConfigMapping(prefix = "infermint.metering")
public interface MeteringConfig {

  /** Whether this instance consumes the stream at all (an instance that only serves the API may opt out). */
  @WithDefault("true")
  boolean enabled();

  /** Key of the Redis Stream the gateway appends usage events to; the same value as the gateway's. */
  @WithDefault(UsageStream.DEFAULT_KEY)
  String stream();

  /**
   * This instance's consumer name in group {@link UsageStream#GROUP}. Must be stable across restarts of one instance
   * (so that it re-reads its own pending entries) and different between instances; without it
   * {@code billing-<host name>-<http port>}.
   */
  Optional<String> consumer();

  /** Most entries read, stored in one transaction and acknowledged together. */
  @WithDefault("500")
  int batchSize();

  /** How long one read waits for new entries ({@code XREADGROUP ... BLOCK}); also bounds how long a stop takes. */
  @WithDefault("1s")
  Duration block();

  /**
   * After a read that returned fewer than {@code batch-size} entries, how long new ones are left to gather before
   * the next read (Kafka's {@code linger.ms}): a steady trickle of calls is then stored a few hundred entries to a
   * transaction instead of one or two, at the price of reports lagging the calls by up to this much. {@code 0}
   * reads again at once. Durability does not depend on it: an entry is durable once it is on the stream.
   */
  @WithDefault("200ms")
  Duration linger();

  /** Entries pending this long for another consumer (one that died) are claimed by this one. */
  @WithDefault("30s")
  Duration claimIdle();

  /** How often pending entries (this consumer's, and those of dead consumers) are looked for again. */
  @WithDefault("15s")
  Duration recoveryInterval();

  /** Acknowledged entries are kept in the stream at least this long (for replay and inspection), then trimmed. */
  @WithDefault("24h")
  Duration retention();

  /** How often the stream is trimmed and the pending/lag gauges are refreshed. */
  @WithDefault("1m")
  Duration trimInterval();

  /** Longest wait between attempts while Redis or PostgreSQL is unreachable (the wait doubles from 0.5 s). */
  @WithDefault("30s")
  Duration maxBackoff();
}
