package dev.infermint.gateway.routing;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;

import dev.infermint.gateway.config.GatewayConfig;

/**
 * The inference workers the gateway balances over ({@code infermint.gateway.worker-urls}): each call goes to the
 * replica with the fewest calls outstanding from this gateway, ties broken in turn, skipping replicas whose circuit
 * breaker is open.
 *
 * <p>Each replica has a Vert.x {@link CircuitBreaker}. What trips it: {@code max-failures} consecutive attempts that
 * got no response headers (connection refused or reset, no answer before the deadline). What does not: any HTTP
 * answer, 4xx and 5xx included; a worker that answers 503 is alive and says so itself, with {@code Retry-After}. An
 * open breaker lets one trial call through after {@code reset-timeout}.
 */
@Singleton
public class WorkerPool {

  /** One worker replica. */
  public static final class Replica {
    private final URI url;
    private final CircuitBreaker breaker;
    private final AtomicInteger outstanding = new AtomicInteger();

    Replica(URI url, CircuitBreaker breaker) {
      this.url = url;
      this.breaker = breaker;
    }

    /** @return the worker's base URL */
    public URI url() {
      return url;
    }

    /** @return its circuit breaker */
    public CircuitBreaker breaker() {
      return breaker;
    }

    /** @return calls from this gateway now in flight on it */
    public int outstanding() {
      return outstanding.get();
    }

    void acquire() {
      outstanding.incrementAndGet();
    }

    /** Marks the end of one call on this replica. */
    public void release() {
      outstanding.decrementAndGet();
    }

    boolean available() {
      return breaker.state() != CircuitBreakerState.OPEN;
    }
  }

  private final List<Replica> replicas;
  /** Every replica by URL: the configured ones and the placed workers met since. */
  private final Map<URI, Replica> byUrl = new ConcurrentHashMap<>();
  private final AtomicInteger turn = new AtomicInteger();
  private final Vertx vertx;
  private final MeterRegistry metrics;
  private final CircuitBreakerOptions options;

  @Inject
  public WorkerPool(GatewayConfig config, Vertx vertx, MeterRegistry metrics) {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(config.breaker().maxFailures())
        .setResetTimeout(config.breaker().resetTimeout().toMillis())
        // The proxy applies the call's own deadline; the breaker only counts outcomes.
        .setTimeout(-1)
        .setFallbackOnFailure(false)
        // No notification address: no rolling HdrHistogram per breaker recording every call, no event-bus
        // publication every 2 s; the gateway's own gauges below say what the console needs.
        .setNotificationAddress(null);
    this.vertx = vertx;
    this.metrics = metrics;
    this.options = options;
    this.replicas = config.workerUrls().stream().map(this::replica).toList();
  }

  /**
   * @param url a worker's base URL
   * @return its replica (with its breaker and gauges), made on first sight
   */
  public Replica replica(URI url) {
    return byUrl.computeIfAbsent(url, u -> {
      Replica r = new Replica(u, CircuitBreaker.create("worker " + u, vertx, options));
      Gauge.builder("infermint.gateway.worker.outstanding", r, Replica::outstanding)
          .tag("worker", u.toString()).description("Calls in flight on a worker replica").register(metrics);
      Gauge.builder("infermint.gateway.worker.breaker.open", r, x -> x.available() ? 0 : 1)
          .tag("worker", u.toString()).description("1 while the replica's circuit breaker is open")
          .register(metrics);
      return r;
    });
  }

  /** @return every replica, in configuration order */
  public List<Replica> replicas() {
    return replicas;
  }

  /**
   * Picks the replica for the next attempt and counts the call as outstanding on it; the caller must
   * {@link Replica#release()} it when the call ends.
   *
   * @param excluded a replica already tried for this call, or null
   * @return the available replica with the fewest outstanding calls, or null when every other one is open
   */
  public Replica acquire(List<Replica> excluded) {
    return acquire(excluded, List.of());
  }

  /**
   * Picks among the workers a model is placed on when one of them is available, else among every configured one
   * (which load a model on demand).
   *
   * @param excluded replicas already tried for this call
   * @param preferred the ready workers of the called model version, empty for no preference
   * @return the replica, counted as outstanding; null when none is available
   */
  public Replica acquire(List<Replica> excluded, List<URI> preferred) {
    if (!preferred.isEmpty()) {
      Replica best = pick(preferred.stream().map(this::replica).toList(), excluded);
      if (best != null) {
        return best;
      }
    }
    return pick(replicas, excluded);
  }

  private Replica pick(List<Replica> candidates, List<Replica> excluded) {
    int n = candidates.size();
    if (n == 0) {
      return null;
    }
    int start = Math.floorMod(turn.getAndIncrement(), n);
    Replica best = null;
    for (int i = 0; i < n; i++) {
      Replica r = candidates.get((start + i) % n);
      if (excluded.contains(r) || !r.available()) {
        continue;
      }
      if (best == null || r.outstanding() < best.outstanding()) {
        best = r;
      }
    }
    if (best != null) {
      best.acquire();
    }
    return best;
  }
}
