package dev.infermint.worker.placement;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.infermint.problem.ProblemException;
import dev.infermint.serviceclient.ServiceTokens;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.service.InferenceDevices;
import dev.infermint.worker.service.ModelCache;
import dev.infermint.worker.service.ModelResolver;
import dev.infermint.worker.service.ResolvedModel;

/**
 * The worker's side of the registry's placement: registers, heartbeats every
 * {@code infermint.worker.placement.heartbeat-interval} with {@code PUT /internal/workers/{id}} (its URL, device,
 * memory budget and the state of its assignments), and loads what the answer assigns it, reporting each one
 * {@code LOADING}, {@code READY} or {@code FAILED} with the reason. A state change is reported at once, not at the next
 * tick, so a rollout waits for the load itself, not for the clock.
 *
 * <p>An assignment the registry takes away is not unloaded here: calls resolved a moment ago (the resolve cache) may
 * still run it, and the memory budget's LRU evicts it once it is idle and room is needed. A model evicted while still
 * assigned is seen on the next heartbeat and loaded again. Off in standalone mode.
 */
@ApplicationScoped
public class RegistryAgent {

  private static final Logger LOG = Logger.getLogger(RegistryAgent.class);
  private static final long RETRY_MS = 30_000;

  /** One assignment: a model version of an owner. */
  record Assignment(String owner, String name, int version) {
  }

  /** What the worker knows of one assignment. */
  private static final class Slot {
    volatile String state = "LOADING";
    volatile String reason;
    volatile ResolvedModel model;
    volatile long failedAt;
  }

  @Inject
  WorkerConfig config;
  @Inject
  ModelResolver resolver;
  @Inject
  ModelCache models;
  @Inject
  InferenceDevices devices;
  @Inject
  ServiceTokens tokens;
  @Inject
  ObjectMapper json;
  @Inject
  dev.infermint.worker.standalone.Standalone standalone;

  @ConfigProperty(name = "quarkus.http.port", defaultValue = "8084")
  int port;

  private final Map<Assignment, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicBoolean beatQueued = new AtomicBoolean();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ScheduledExecutorService ticker;
  private ExecutorService loader;
  private String id;
  private String url;
  private volatile boolean registered;

  void start(@Observes StartupEvent event) {
    if (standalone.enabled() || !config.placement().enabled()) {
      LOG.info("Not joining the registry's placement (standalone, or infermint.worker.placement.enabled=false)");
      return;
    }
    url = config.placement().advertisedUrl().orElse("http://localhost:" + port);
    id = config.placement().id().orElseGet(() -> host() + "-" + port);
    ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "registry-heartbeat"));
    loader = Executors.newFixedThreadPool(2, r -> daemon(r, "assignment-loader"));
    long every = Math.max(100, config.placement().heartbeatInterval().toMillis());
    ticker.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    LOG.infof("Joining the registry's placement as worker %s at %s (heartbeat every %d ms)", id, url, every);
  }

  void stop(@Observes ShutdownEvent event) {
    if (ticker != null) {
      ticker.shutdownNow();
      loader.shutdownNow();
    }
  }

  /** @return this worker's id in the registry, null when it does not take part */
  public String id() {
    return id;
  }

  private void tick() {
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.warnf("Heartbeat to the registry failed: %s", e.toString());
    }
  }

  /** Heartbeats soon, off the caller's thread; several asks while one waits are one beat. */
  private void beatSoon() {
    if (ticker != null && beatQueued.compareAndSet(false, true)) {
      ticker.execute(() -> {
        beatQueued.set(false);
        tick();
      });
    }
  }

  private void beat() {
    recheck();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    body.put("device", devices.configured().name().toLowerCase(Locale.ROOT));
    body.put("memoryBudgetBytes", models.budgetBytes());
    body.put("memoryFactor", config.modelMemoryFactor());
    List<Map<String, Object>> reports = new ArrayList<>();
    slots.forEach((a, s) -> {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("owner", a.owner());
      r.put("name", a.name());
      r.put("version", a.version());
      r.put("state", s.state);
      if (s.reason != null) {
        r.put("reason", s.reason);
      }
      reports.add(r);
    });
    body.put("models", reports);
    HttpResponse<String> response;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(stripSlash(config.registryUrl()) + "/internal/workers/"
              + id))
          .timeout(Duration.ofSeconds(5))
          .header("Content-Type", "application/json")
          .header("Authorization", tokens.awaitAuthorization())
          .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
          .build();
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("registry unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("registry answered " + response.statusCode() + ": " + response.body());
    }
    if (!registered) {
      registered = true;
      LOG.infof("Registered with the registry as worker %s", id);
    }
    try {
      apply(json.readTree(response.body()).path("assignments"));
    } catch (IOException e) {
      throw new IllegalStateException("unreadable heartbeat answer: " + e.getMessage(), e);
    }
  }

  /** Starts loading new assignments; forgets the ones taken away. */
  void apply(JsonNode assignments) {
    Set<Assignment> wanted = new HashSet<>();
    for (JsonNode a : assignments) {
      wanted.add(new Assignment(a.path("owner").asText(), a.path("name").asText(), a.path("version").asInt()));
    }
    slots.keySet().removeIf(a -> {
      if (!wanted.contains(a)) {
        LOG.infof("Assignment %s/%s:%d taken away; it stays loaded until evicted", a.owner(), a.name(),
            a.version());
        return true;
      }
      return false;
    });
    for (Assignment a : wanted) {
      slots.computeIfAbsent(a, k -> {
        Slot s = new Slot();
        loader.execute(() -> load(k, s));
        return s;
      });
    }
  }

  /** A READY assignment evicted meanwhile loads again; a FAILED one is tried again after {@value #RETRY_MS} ms. */
  private void recheck() {
    long now = System.currentTimeMillis();
    slots.forEach((a, s) -> {
      boolean evicted = "READY".equals(s.state) && s.model != null && !isLoaded(s.model);
      boolean retry = "FAILED".equals(s.state) && now - s.failedAt > RETRY_MS;
      if (evicted || retry) {
        s.state = "LOADING";
        loader.execute(() -> load(a, s));
      }
    });
  }

  private boolean isLoaded(ResolvedModel model) {
    try {
      models.checkReady(model);
      return true;
    } catch (ProblemException e) {
      return false;
    }
  }

  private void load(Assignment a, Slot s) {
    long start = System.nanoTime();
    try {
      ResolvedModel m = resolver.resolve(a.owner(), a.name(), Integer.toString(a.version()), null);
      models.load(m, null);
      s.model = m;
      s.reason = null;
      s.state = "READY";
      LOG.infof("Assignment %s/%s:%d ready in %d ms", a.owner(), a.name(), a.version(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (ProblemException e) {
      s.reason = e.problem().detail();
      s.failedAt = System.currentTimeMillis();
      s.state = "FAILED";
      LOG.warnf("Assignment %s/%s:%d failed to load: %s", a.owner(), a.name(), a.version(), s.reason);
    } catch (RuntimeException e) {
      s.reason = String.valueOf(e.getMessage());
      s.failedAt = System.currentTimeMillis();
      s.state = "FAILED";
      LOG.warnf(e, "Assignment %s/%s:%d failed to load", a.owner(), a.name(), a.version());
    }
    beatSoon();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "worker";
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
