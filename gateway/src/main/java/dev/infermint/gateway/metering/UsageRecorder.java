package dev.infermint.gateway.metering;

import java.util.ArrayDeque;
import java.util.Deque;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import dev.infermint.gateway.client.Continuations;
import dev.infermint.gateway.client.EventLoopRedis;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.metering.UsageStream;

/**
 * Makes each usage event durable by appending it to the Redis stream ({@code XADD}) that billing consumes. The
 * gateway completes a metered response only after {@link #record} has completed, so a client that got its answer
 * has its call on the stream even if this gateway is killed the next instant (Redis keeps the stream in its
 * append-only file).
 *
 * <p>When Redis cannot take an event within {@code infermint.gateway.metering.append-timeout}, the event waits in a
 * bounded in-memory queue and is retried every second, in order; {@code record} then completes anyway, so that a
 * Redis outage under {@code on-redis-failure=open} delays nothing. Those queued events are the one thing a gateway
 * crash during a Redis outage can lose; metric {@code infermint_gateway_usage_pending} shows them. An event retried
 * after a lost reply may land twice on the stream: billing stores it once, by its id.
 */
@Singleton
public class UsageRecorder {

  private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

  private final Redis redis;
  private final Vertx vertx;
  private final GatewayConfig.Metering config;
  private final Deque<UsageEvent> pending = new ArrayDeque<>();
  private final Counter appended;
  private final Counter dropped;
  private long timer = -1;

  @Inject
  public UsageRecorder(EventLoopRedis redis, Vertx vertx, GatewayConfig config, MeterRegistry metrics) {
    this.redis = redis;
    this.vertx = vertx;
    this.config = config.metering();
    this.appended = Counter.builder("infermint.gateway.usage.appended")
        .description("Usage events appended to the usage stream").register(metrics);
    this.dropped = Counter.builder("infermint.gateway.usage.dropped")
        .description("Usage events dropped because the in-memory retry queue was full").register(metrics);
    Gauge.builder("infermint.gateway.usage.pending", this, UsageRecorder::pendingCount)
        .description("Usage events waiting in memory for Redis").register(metrics);
  }

  @PostConstruct
  void startRetries() {
    timer = vertx.setPeriodic(1000, id -> drain());
  }

  @PreDestroy
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    synchronized (pending) {
      if (!pending.isEmpty()) {
        LOG.errorf("Stopping with %d usage events that Redis never took", pending.size());
      }
    }
  }

  /**
   * Appends the event to the usage stream.
   *
   * @param event the admitted call's event
   * @return completes (never fails) once the event is on the stream, or queued for retry after the append timeout
   */
  public Future<Void> record(UsageEvent event) {
    return Continuations.within(vertx, append(event), config.appendTimeout().toMillis(), "Redis XADD")
        .otherwise(e -> {
          enqueue(event, e);
          return null;
        }).mapEmpty();
  }

  private Future<Void> append(UsageEvent e) {
    Request xadd = Request.cmd(Command.XADD).arg(config.stream()).arg("*")
        .arg(UsageStream.ID).arg(e.eventId())
        .arg(UsageStream.VERSION_OF_SCHEMA).arg(UsageStream.SCHEMA)
        .arg(UsageStream.TENANT).arg(e.tenantId())
        .arg(UsageStream.KEY_ID).arg(nullToEmpty(e.keyId()))
        .arg(UsageStream.MODEL).arg(nullToEmpty(e.model()))
        .arg(UsageStream.MODEL_VERSION).arg(nullToEmpty(e.version()))
        .arg(UsageStream.ENDPOINT).arg(e.endpoint())
        .arg(UsageStream.UNITS).arg(e.units())
        .arg(UsageStream.COMPUTE_MS).arg(e.computeMs())
        .arg(UsageStream.STATUS).arg(e.status())
        .arg(UsageStream.TIMESTAMP).arg(e.admittedAtMillis())
        .arg(UsageStream.OVERAGE).arg(e.overage() ? "1" : "0")
        .arg(UsageStream.REQUEST_ID).arg(nullToEmpty(e.requestId()));
    return redis.send(xadd).map(r -> {
      appended.increment();
      return null;
    });
  }

  private void enqueue(UsageEvent event, Throwable cause) {
    synchronized (pending) {
      if (pending.size() >= config.retryBufferSize()) {
        UsageEvent lost = pending.pollFirst();
        dropped.increment();
        LOG.errorf("Usage retry queue full: dropped event %s of tenant %s", lost.eventId(), lost.tenantId());
      }
      pending.addLast(event);
      if (pending.size() == 1) {
        LOG.warnf("Redis did not take usage event %s (%s); holding events in memory and retrying",
            event.eventId(), cause.toString());
      }
    }
  }

  /** Retries queued events one at a time, oldest first, until one fails again. */
  private void drain() {
    UsageEvent next;
    synchronized (pending) {
      next = pending.peekFirst();
    }
    if (next == null) {
      return;
    }
    Continuations.within(vertx, append(next), config.appendTimeout().toMillis(), "Redis XADD").onSuccess(v -> {
      synchronized (pending) {
        pending.remove(next);
        if (pending.isEmpty()) {
          LOG.info("Redis takes usage events again; the retry queue is empty");
        }
      }
      drain();
    });
  }

  private double pendingCount() {
    synchronized (pending) {
      return pending.size();
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
