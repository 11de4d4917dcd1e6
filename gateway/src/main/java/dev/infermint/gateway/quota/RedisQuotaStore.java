package dev.infermint.gateway.quota;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import dev.infermint.gateway.client.Continuations;
import dev.infermint.metering.QuotaKeys;
import dev.infermint.problem.Problems;

/**
 * Quota counters in Redis, shared by every gateway replica, so that N gateways admit what the plan allows and not N
 * times that. One short Lua script ({@code quota/consume.lua}) reads both counters, decides, and increments both, in
 * one round trip; Redis runs a script alone, so concurrent calls from any number of gateways can never both take the
 * last unit.
 *
 * <p>A Lua script rather than Bucket4j's Lettuce integration: Bucket4j keeps one bucket per key and would need two
 * round trips (or a composite bucket) for two limits, cannot refill on calendar months, and brings a second Redis
 * client into a gateway that already has the Vert.x one on its event loops.
 *
 * <p>Redis down is told apart from Redis slow, because only "down" may be decided without Redis. Down means: a step or
 * the health probe ({@code PING} every 250 ms on its own connection) is refused, reset or closed (decided at once,
 * whatever the load), or {@value #SILENT_PROBES} probes in a row get no answer within
 * {@code infermint.gateway.quota.redis-timeout} (200 ms) while Redis answers nothing else either (a silent Redis,
 * detected within about a second). While Redis is down every step is decided at once: the gateway either fails open
 * (this replica's {@link LocalQuotaStore} decides, a log line says so at most every 10 s, and metric
 * {@code infermint_gateway_quota_fallback_total} counts it) or fails closed (503 {@code quota_unavailable}), as
 * {@code infermint.gateway.quota.on-redis-failure} says; the first good {@code PING} ends it. A step that merely
 * gets no answer within {@code busy-timeout} is 503 {@code quota_unavailable} with {@code Retry-After}, never a local
 * admission: Redis may still count it, and under a burst every replica would otherwise admit the whole limit again.
 * Never a hang; never more admitted than the plan allows while Redis is up.
 */
public class RedisQuotaStore implements QuotaStore {

  private static final Logger LOG = Logger.getLogger(RedisQuotaStore.class);
  /** The minute key outlives its minute a little, for the {@code /quota} view near a boundary. */
  private static final long MINUTE_TTL_SECONDS = 120;
  /** The month key is kept a week past its month, for reconciliation and support. */
  private static final long MONTH_GRACE_SECONDS = 7 * 24 * 3600;

  private final Redis redis;
  private final Vertx vertx;
  private final LocalQuotaStore fallback;
  private final long timeoutMillis;
  private final long busyTimeoutMillis;
  private volatile boolean down;
  /** When Redis last answered anything (a step or a PING): a busy Redis still answers, a dead one does not. */
  private volatile long lastReplyNanos = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
  private RedisConnection probeConnection;
  private boolean probing;
  private int probeMisses;
  /** Consecutive silent probes (250 ms apart) before a Redis that accepts connections counts as down. */
  private static final int SILENT_PROBES = 4;
  private final boolean failOpen;
  private final String script;
  private final String sha;
  private final Counter fallbacks;
  private final Counter refusals;
  private final AtomicLong lastLogMillis = new AtomicLong();

  /**
   * @param redis the Vert.x Redis client (non-blocking)
   * @param vertx timers for the timeout
   * @param timeoutMillis how long the health probe waits for {@code PING}
   * @param busyTimeoutMillis how long a quota step waits for Redis before it counts Redis as down
   * @param failOpen whether to fall back to local counters (else 503) when Redis fails
   * @param metrics where the fallback counter lives
   */
  public RedisQuotaStore(Redis redis, Vertx vertx, long timeoutMillis, long busyTimeoutMillis, boolean failOpen,
      MeterRegistry metrics) {
    this.redis = redis;
    this.vertx = vertx;
    this.fallback = new LocalQuotaStore();
    this.timeoutMillis = timeoutMillis;
    this.busyTimeoutMillis = busyTimeoutMillis;
    this.failOpen = failOpen;
    this.script = resource("/quota/consume.lua");
    this.sha = sha1(script);
    this.fallbacks = Counter.builder("infermint.gateway.quota.fallback")
        .description("Quota decisions taken by this gateway's local counters because Redis did not answer")
        .tag("mode", "open").register(metrics);
    this.refusals = Counter.builder("infermint.gateway.quota.fallback")
        .description("Quota decisions taken by this gateway's local counters because Redis did not answer")
        .tag("mode", "closed").register(metrics);
    io.micrometer.core.instrument.Gauge.builder("infermint.gateway.quota.redis.down", this, x -> x.down ? 1 : 0)
        .description("1 while this gateway counts Redis as down and decides quotas without it").register(metrics);
    vertx.setPeriodic(250, id -> probe());
  }

  /**
   * Health probe on a connection of its own: through the pool, a {@code PING} would queue behind a burst of quota
   * steps and make a busy Redis look down (seen in e2e: each gateway then admitted the whole limit locally).
   */
  private void probe() {
    if (probing) {
      return;
    }
    probing = true;
    Future<RedisConnection> connection = probeConnection != null ? Future.succeededFuture(probeConnection)
        : redis.connect().onSuccess(c -> {
          probeConnection = c;
          c.exceptionHandler(e -> probeConnection = null);
          c.endHandler(v -> probeConnection = null);
        });
    Continuations.within(vertx, connection.compose(c -> c.send(Request.cmd(Command.PING))), timeoutMillis,
            "Redis PING")
        .onComplete(ar -> probing = false)
        .onSuccess(r -> {
          answered();
          probeMisses = 0;
          if (down) {
            down = false;
            LOG.info("Redis answers again: quota steps go to Redis");
          }
        })
        .onFailure(e -> {
          boolean timedOut = e instanceof java.util.concurrent.TimeoutException;
          if (!timedOut) {
            // Refused, reset, closed: Redis is unreachable, whatever the load.
            probeMisses = 0;
            markDown(e);
            return;
          }
          if (probeConnection != null) {
            // A silent connection is dropped; the next probe opens a new one.
            probeConnection.close();
            probeConnection = null;
          }
          // A silent Redis: down only after SILENT_PROBES probes in a row with nothing at all answered meanwhile.
          // One missed PING proves nothing on two saturated cores (seen in bench/gateway.sh and e2e).
          if (System.nanoTime() - lastReplyNanos < TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
            probeMisses = 0;
          } else if (++probeMisses >= SILENT_PROBES) {
            markDown(e);
          }
        });
  }

  private void answered() {
    lastReplyNanos = System.nanoTime();
  }

  private void markDown(Throwable cause) {
    if (!down) {
      down = true;
      LOG.warnf("Redis counts as down for quotas (%s): failing %s until it answers PING", cause.toString(),
          failOpen ? "open on this gateway's local counters" : "closed with 503 quota_unavailable");
    }
  }

  /** @return whether quota steps are being decided without Redis */
  public boolean redisDown() {
    return down;
  }

  @Override
  public Future<QuotaDecision> tryConsume(String tenantId, PlanLimits limits, Instant now) {
    if (down) {
      return degraded(null).map(v -> fallback.consume(tenantId, limits, now));
    }
    String minuteKey = QuotaKeys.minute(tenantId, now);
    String monthKey = QuotaKeys.month(tenantId, now);
    long monthTtl = QuotaKeys.secondsToNextMonth(now) + MONTH_GRACE_SECONDS;
    Request evalsha = Request.cmd(Command.EVALSHA).arg(sha).arg(2).arg(minuteKey).arg(monthKey)
        .arg(limits.requestsPerMinute()).arg(limits.requestsPerMonth())
        .arg(limits.overage() == PlanLimits.Overage.BILL ? "1" : "0").arg(MINUTE_TTL_SECONDS).arg(monthTtl);
    Future<Response> sent = redis.send(evalsha).recover(e -> {
      if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
        // First call after a Redis restart: EVAL loads the script and runs it; later EVALSHAs find it.
        return redis.send(Request.cmd(Command.EVAL).arg(script).arg(2).arg(minuteKey).arg(monthKey)
            .arg(limits.requestsPerMinute()).arg(limits.requestsPerMonth())
            .arg(limits.overage() == PlanLimits.Overage.BILL ? "1" : "0").arg(MINUTE_TTL_SECONDS).arg(monthTtl));
      }
      return Future.failedFuture(e);
    });
    return Continuations.within(vertx, sent, busyTimeoutMillis, "Redis").map(reply -> {
      answered();
      QuotaDecision.Outcome outcome = switch (reply.get(0).toInteger()) {
        case 0 -> QuotaDecision.Outcome.ADMITTED;
        case 1 -> QuotaDecision.Outcome.RATE_LIMITED;
        case 2 -> QuotaDecision.Outcome.QUOTA_EXCEEDED;
        default -> QuotaDecision.Outcome.ADMITTED_OVERAGE;
      };
      return QuotaWindows.decide(outcome, limits, reply.get(1).toLong(), reply.get(2).toLong(), now);
    }).recover(e -> {
      if (e instanceof java.util.concurrent.TimeoutException) {
        // Slow is not down: a step Redis may yet have counted is never also admitted locally, or N gateways under
        // a burst admit N times the limit. The caller tries again; the probe decides whether Redis is down.
        return Future.failedFuture(Problems.quotaUnavailable(
            "The quota store did not answer in time; try again shortly"));
      }
      markDown(e);
      return degraded(e).map(v -> fallback.consume(tenantId, limits, now));
    });
  }

  @Override
  public Future<QuotaState> peek(String tenantId, PlanLimits limits, Instant now) {
    Future<Response> sent = redis.send(Request.cmd(Command.MGET).arg(QuotaKeys.minute(tenantId, now))
        .arg(QuotaKeys.month(tenantId, now)));
    return Continuations.within(vertx, sent, busyTimeoutMillis, "Redis")
        .map(reply -> QuotaWindows.state(limits, count(reply.get(0)), count(reply.get(1)), now))
        .recover(e -> Future.failedFuture(Problems.quotaUnavailable(
            "The quota counters cannot be read right now; try again shortly")));
  }

  private Future<Void> degraded(Throwable cause) {
    long nowMillis = System.currentTimeMillis();
    long last = lastLogMillis.get();
    if (nowMillis - last > 10_000 && lastLogMillis.compareAndSet(last, nowMillis)) {
      LOG.warnf("Quota step without Redis (%s): failing %s", cause == null ? "Redis counts as down" : cause.toString(),
          failOpen ? "open on this gateway's local counters" : "closed with 503 quota_unavailable");
    }
    if (failOpen) {
      fallbacks.increment();
      return Future.succeededFuture();
    }
    refusals.increment();
    return Future.failedFuture(Problems.quotaUnavailable(
        "The gateway cannot check this tenant's quota right now; try again shortly"));
  }

  private static long count(Response r) {
    return r == null ? 0 : r.toLong();
  }

  private static String resource(String name) {
    try (InputStream in = RedisQuotaStore.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
