package dev.infermint.billing.metering;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.config.MeteringConfig;
import dev.infermint.billing.service.UsageDeadLetter;
import dev.infermint.billing.service.UsageRecord;
import dev.infermint.billing.service.UsageService;
import dev.infermint.metering.UsageStream;

/**
 * Bills the gateway's usage stream: consumer group {@link UsageStream#GROUP}, one consumer per billing instance, on
 * a thread of its own (never an event loop).
 *
 * <p>Each pass: (1) at start, after any failure and every {@code recovery-interval}, take over entries that a dead
 * consumer left pending longer than {@code claim-idle}, then re-read this consumer's own pending entries; (2) read up
 * to {@code batch-size} new entries, waiting at most {@code block}, and after a short batch let new ones gather for
 * {@code linger} (under a steady trickle, one transaction per many events rather than per event); (3) every
 * {@code trim-interval}, trim acknowledged entries older than {@code retention}. A batch is stored in one PostgreSQL
 * transaction (event id unique, so a re-delivered or replayed entry counts once) and acknowledged only after the
 * commit: a crash between the two re-delivers entries that are then skipped as duplicates, so nothing is lost and nothing counted twice.
 * Entries that cannot be billed go to the dead-letter table in the same transaction and are acknowledged with the
 * others, so they never block the stream. While Redis or PostgreSQL is unreachable it logs and waits, 0.5 s doubling
 * to {@code max-backoff}, and acknowledges nothing.
 */
@ApplicationScoped
public class UsageStreamConsumer {

  private static final Logger LOG = Logger.getLogger(UsageStreamConsumer.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

  private final MeteringConfig config;
  private final UsageService usage;
  private final UsageStreamGroup group;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter deadLettered;
  private final Counter batches;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong lag = new AtomicLong(-1);

  /** The running thread and the latch that tells it to stop; each start gets its own, so a late one stops too. */
  private Thread thread;
  private CountDownLatch stopping;
  private volatile int failures;

  /**
   * @param config the stream settings
   * @param usage where events are stored
   * @param redis the Redis holding the stream
   * @param metrics where the consumer's counters and gauges are registered
   * @param httpPort this instance's HTTP port, part of the default consumer name
   * @throws IllegalArgumentException when the batch size or the read wait is not positive
   */
  @Inject
  public UsageStreamConsumer(MeteringConfig config, UsageService usage, RedisDataSource redis, MeterRegistry metrics,
      @ConfigProperty(name = "quarkus.http.port", defaultValue = "8085") int httpPort) {
    if (config.batchSize() < 1 || config.block().toMillis() < 1) {
      // BLOCK 0 would wait forever, and a stop with it.
      throw new IllegalArgumentException("infermint.metering.batch-size and .block must be positive");
    }
    this.config = config;
    this.usage = usage;
    this.group = new UsageStreamGroup(redis, config.stream(), UsageStream.GROUP,
        config.consumer().orElseGet(() -> "billing-" + hostName() + "-" + httpPort));
    this.stored = outcome(metrics, "stored");
    this.duplicates = outcome(metrics, "duplicate");
    this.deadLettered = outcome(metrics, "dead_letter");
    this.batches = Counter.builder("infermint.billing.usage.batches")
        .description("Batches of usage stream entries stored (one transaction and one XACK each)").register(metrics);
    Gauge.builder("infermint.billing.usage.stream.pending", pending, AtomicLong::get)
        .description("Usage stream entries delivered to billing and not yet acknowledged").register(metrics);
    Gauge.builder("infermint.billing.usage.stream.lag", lag, AtomicLong::get)
        .description("Usage stream entries not yet delivered to billing (-1 when Redis cannot tell, before 7.0)")
        .register(metrics);
  }

  private static Counter outcome(MeterRegistry metrics, String outcome) {
    return Counter.builder("infermint.billing.usage.events").tag("outcome", outcome)
        .description("Usage stream entries billing consumed, by outcome").register(metrics);
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  void onStart(@Observes StartupEvent event) {
    if (config.enabled()) {
      start();
    } else {
      LOG.warn("infermint.metering.enabled=false: this instance does not consume the usage stream");
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** @return how many attempts in a row failed (Redis or PostgreSQL unreachable); 0 while all is well */
  public int consecutiveFailures() {
    return failures;
  }

  /** @return this instance's consumer name in the group */
  public String consumerName() {
    return group.consumer();
  }

  /** Starts consuming on a new thread; does nothing when already running. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    stopping = stop;
    thread = new Thread(() -> run(stop), "billing-usage-consumer");
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler((t, e) -> LOG.error("The usage stream consumer died; restart billing", e));
    thread.start();
    LOG.infof("Consuming usage stream %s as %s/%s", group.key(), UsageStream.GROUP, group.consumer());
  }

  /**
   * Stops consuming and waits for the thread to finish its current step (a read waits at most {@code block}; a
   * batch being stored is committed and acknowledged first). Entries read and not stored stay pending and are
   * re-read at the next start.
   */
  public synchronized void stop() {
    if (thread == null) {
      return;
    }
    stopping.countDown();
    try {
      thread.join(config.block().toMillis() + 10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("The usage stream consumer did not stop in time; its unacknowledged entries will be re-read");
    }
    thread = null;
  }

  private void run(CountDownLatch stop) {
    boolean recover = true;
    long nextRecovery = 0;
    long nextTrim = 0;
    failures = 0;
    while (stop.getCount() > 0) {
      try {
        if (recover || System.nanoTime() - nextRecovery >= 0) {
          recover(stop);
          recover = false;
          nextRecovery = System.nanoTime() + config.recoveryInterval().toNanos();
        }
        List<UsageStreamEntry> batch = group.readNew(config.batchSize(), config.block());
        if (!batch.isEmpty()) {
          handle(batch);
          if (batch.size() < config.batchSize() && linger(stop)) {
            return;
          }
        }
        if (System.nanoTime() - nextTrim >= 0) {
          maintain();
          nextTrim = System.nanoTime() + config.trimInterval().toNanos();
        }
        if (failures > 0) {
          LOG.infof("Usage stream consumer recovered after %d failed attempts", failures);
          failures = 0;
        }
      } catch (RuntimeException e) {
        // Whatever was read and not acknowledged stays pending for this consumer; the recovery re-reads it.
        recover = true;
        long wait = Math.min(config.maxBackoff().toMillis(), FIRST_BACKOFF.toMillis() << Math.min(failures, 16));
        failures++;
        LOG.warnf("Usage stream consumer cannot proceed (%s); retrying in %d ms", describe(e), wait);
        if (failures == 1) {
          LOG.debug("Usage stream consumer failure", e);
        }
        try {
          stop.await(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** @return true when stopped while lingering */
  private boolean linger(CountDownLatch stop) {
    long millis = config.linger().toMillis();
    if (millis <= 0) {
      return false;
    }
    try {
      return stop.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Creates the group if needed, takes over dead consumers' entries, and stores everything pending here. */
  private void recover(CountDownLatch stop) {
    if (group.ensureGroup()) {
      LOG.infof("Created consumer group %s on %s from the start of the stream", UsageStream.GROUP, group.key());
    }
    int claimed = group.claimIdle(config.claimIdle(), config.batchSize());
    if (claimed > 0) {
      LOG.infof("Took over %d usage entries left pending by other consumers", claimed);
    }
    String after = "0";
    while (stop.getCount() > 0) {
      List<UsageStreamEntry> page = group.readOwnPending(after, config.batchSize());
      if (page.isEmpty()) {
        return;
      }
      handle(page);
      after = page.get(page.size() - 1).id();
    }
  }

  /** Stores one batch and acknowledges it after the commit. */
  private void handle(List<UsageStreamEntry> batch) {
    List<UsageStreamEntry> billable = new ArrayList<>(batch.size());
    List<UsageRecord> records = new ArrayList<>(batch.size());
    List<UsageDeadLetter> rejected = new ArrayList<>();
    for (UsageStreamEntry entry : batch) {
      try {
        records.add(entry.toRecord());
        billable.add(entry);
      } catch (IllegalArgumentException e) {
        rejected.add(deadLetter(entry, e.getMessage()));
      }
    }
    UsageService.Stored result;
    try {
      result = usage.store(records, rejected);
    } catch (RuntimeException e) {
      if (!isDataError(e)) {
        throw e;
      }
      result = storeOneByOne(billable, records, rejected);
    }
    group.ack(batch.stream().map(UsageStreamEntry::id).toList());
    batches.increment();
    stored.increment(result.inserted());
    duplicates.increment(result.duplicates());
    deadLettered.increment(result.deadLetters());
    for (UsageDeadLetter d : rejected) {
      LOG.errorf("Usage stream entry %s of %s is not billable (%s); kept in billing.usage_dead_letter",
          d.streamId(), d.streamKey(), d.reason());
    }
  }

  /**
   * The database refused the batch for what one row holds (a value no column takes): store the rows one by one and
   * set aside the ones it refuses, so that one row cannot block the stream.
   */
  private UsageService.Stored storeOneByOne(List<UsageStreamEntry> entries, List<UsageRecord> records,
      List<UsageDeadLetter> rejected) {
    int inserted = 0;
    int duplicate = 0;
    for (int i = 0; i < records.size(); i++) {
      try {
        UsageService.Stored one = usage.store(List.of(records.get(i)), List.of());
        inserted += one.inserted();
        duplicate += one.duplicates();
      } catch (RuntimeException e) {
        if (!isDataError(e)) {
          throw e;
        }
        rejected.add(deadLetter(entries.get(i), "refused by the database: " + describe(e)));
      }
    }
    int letters = 0;
    for (UsageDeadLetter d : rejected) {
      try {
        letters += usage.store(List.of(), List.of(d)).deadLetters();
      } catch (RuntimeException e) {
        if (!isDataError(e)) {
          throw e;
        }
        // The log is the last record of it: keeping it pending would block the stream for good.
        LOG.errorf("Usage stream entry %s of %s cannot even be set aside (%s); dropping it. Fields: %s",
            d.streamId(), d.streamKey(), describe(e), d.fields());
      }
    }
    return new UsageService.Stored(inserted, duplicate, letters);
  }

  private UsageDeadLetter deadLetter(UsageStreamEntry entry, String reason) {
    return new UsageDeadLetter(group.key(), entry.id(), entry.fields() == null ? Map.of() : entry.fields(), reason);
  }

  /** Refreshes the gauges and trims the stream. */
  private void maintain() {
    long trimmed = group.trim(config.retention());
    if (trimmed > 0) {
      LOG.debugf("Trimmed %d acknowledged usage entries older than %s", trimmed, config.retention());
    }
    pending.set(group.pending());
    OptionalLong l = group.lag();
    lag.set(l.isPresent() ? l.getAsLong() : -1);
  }

  /** A constraint or data exception (SQLState class 22 or 23): the data is at fault, not the connection. */
  private static boolean isDataError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String what = root == e ? e.toString() : e.getClass().getSimpleName() + ": " + root;
    return what.length() > 300 ? what.substring(0, 300) + "..." : what;
  }
}
