package dev.infermint.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inference calls through the gateway from many client threads at once ({@code java.net.http}; a POST is never
 * retried by it, so each call is one request), and what each one got. Every run is bounded: by a call count, and by
 * {@link #stop(Duration)}.
 *
 * <p>The call is the cheapest the platform meters: {@code POST /v2/models/{model}/infer} on a 1x3 FP32 input of the
 * tenant's own affine model.
 */
final class Load {

  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");
  private static final String BODY =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}";

  /** Where calls go and as whom: gateways are used in turn, call by call. */
  record Target(List<String> gateways, String apiKey, String model) {
  }

  /**
   * What one call got.
   *
   * @param gateway the gateway's base URL
   * @param status the HTTP status, or 0 when no response came (connection refused or cut)
   * @param code the problem {@code code} of an error response, else null
   * @param limit the {@code X-RateLimit-Limit} header, else null
   * @param endedNanos {@link System#nanoTime()} when the call ended
   */
  record Outcome(String gateway, int status, String code, String limit, long endedNanos) {

    /** @return a 2xx */
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** @return the gateway answered and admitted the call (authenticated, within quota): it is metered once */
    boolean admitted() {
      return status != 0 && status != 401 && status != 403 && status != 429;
    }

    /** @return a 5xx, or no response at all: what a caller sees as the platform failing */
    boolean failed() {
      return status == 0 || status >= 500;
    }
  }

  private final Target target;
  private final ExecutorService clients;
  private final HttpClient http;
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicInteger submitted = new AtomicInteger();
  private final int maxCalls;
  private ScheduledExecutorService pacer;
  private volatile boolean stopped;

  private Load(Target target, int threads, int maxCalls) {
    this.target = target;
    this.maxCalls = maxCalls;
    this.clients = Executors.newFixedThreadPool(threads);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /**
   * Exactly {@code calls} calls from {@code threads} client threads, as fast as they go; returns when all ended.
   *
   * @param target where and as whom
   * @param threads concurrent clients
   * @param calls how many calls in all
   * @param timeout how long the whole burst may take
   * @return every call's outcome
   * @throws IllegalStateException when the calls did not end in time
   */
  static List<Outcome> burst(Target target, int threads, int calls, Duration timeout) {
    Load load = new Load(target, threads, calls);
    for (int i = 0; i < calls; i++) {
      load.clients.submit(load::callIfAllowed);
    }
    return load.await(timeout);
  }

  /**
   * Starts {@code threads} clients that call back to back until {@link #stop(Duration)} or {@code maxCalls}.
   *
   * @param target where and as whom
   * @param threads concurrent clients
   * @param maxCalls the most calls this load makes
   * @return the running load
   */
  static Load continuous(Target target, int threads, int maxCalls) {
    Load load = new Load(target, threads, maxCalls);
    for (int i = 0; i < threads; i++) {
      load.clients.submit(() -> {
        while (load.callIfAllowed()) {
          // next call
        }
      });
    }
    return load;
  }

  /**
   * Starts calls at a steady rate, however long each takes (up to {@code threads} in flight, the rest queued), for
   * {@code duration}: clients that keep calling whatever the platform does. Calls still queued at
   * {@link #stop(Duration)} are not made.
   *
   * @param target where and as whom
   * @param threads concurrent clients
   * @param callsPerSecond the rate
   * @param duration how long calls are started
   * @return the running load; once {@link #allStarted()} (by the clock), {@link #stop(Duration)} waits for the last
   *     calls
   */
  static Load paced(Target target, int threads, int callsPerSecond, Duration duration) {
    int total = (int) (callsPerSecond * duration.toSeconds());
    Load load = new Load(target, threads, total);
    load.pacer = Executors.newSingleThreadScheduledExecutor();
    load.pacer.scheduleAtFixedRate(() -> {
      if (!load.stopped && load.submitted.get() < total) {
        load.submitted.incrementAndGet();
        load.clients.submit(load::callIfAllowed);
      }
    }, 0, 1_000_000 / callsPerSecond, TimeUnit.MICROSECONDS);
    return load;
  }

  /**
   * Stops starting calls and waits for the ones in flight.
   *
   * @param timeout how long to wait for them
   * @return every call's outcome
   * @throws IllegalStateException when calls are still running after the timeout
   */
  List<Outcome> stop(Duration timeout) {
    stopped = true;
    return await(timeout);
  }

  private List<Outcome> await(Duration timeout) {
    if (pacer != null) {
      pacer.shutdownNow();
    }
    clients.shutdown();
    try {
      if (!clients.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        clients.shutdownNow();
        throw new IllegalStateException("Calls still running after " + timeout.toSeconds() + " s: "
            + summary(outcomes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the calls", e);
    }
    return outcomes();
  }

  /** @return whether every call this load was to make has been started (for a paced load: handed to a client) */
  boolean allStarted() {
    return (pacer != null ? submitted.get() : issued.get()) >= maxCalls;
  }

  /** @return the outcomes so far */
  List<Outcome> outcomes() {
    return new ArrayList<>(outcomes);
  }

  /**
   * @param which a filter
   * @return how many calls that ended so far pass it
   */
  long count(Predicate<Outcome> which) {
    return outcomes.stream().filter(which).count();
  }

  /**
   * @param outcomes calls
   * @return "status (code) x count" for each kind, for assertion messages
   */
  static String summary(List<Outcome> outcomes) {
    Map<String, Integer> kinds = new TreeMap<>();
    outcomes.forEach(o -> kinds.merge(o.status() + (o.code() == null ? "" : " " + o.code()), 1, Integer::sum));
    return outcomes.size() + " calls: " + kinds;
  }

  private boolean callIfAllowed() {
    int n = issued.getAndIncrement();
    if (stopped || n >= maxCalls) {
      return false;
    }
    String gateway = target.gateways().get(n % target.gateways().size());
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v2/models/" + target.model() + "/infer"))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + target.apiKey())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY))
        .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      String code = null;
      if (r.statusCode() >= 400) {
        Matcher m = CODE.matcher(r.body());
        code = m.find() ? m.group(1) : null;
      }
      outcomes.add(new Outcome(gateway, r.statusCode(), code, r.headers().firstValue("X-RateLimit-Limit")
          .orElse(null), System.nanoTime()));
    } catch (IOException e) {
      outcomes.add(new Outcome(gateway, 0, e.getClass().getSimpleName(), null, System.nanoTime()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }
}
