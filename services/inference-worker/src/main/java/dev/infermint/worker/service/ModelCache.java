package dev.infermint.worker.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.metrics.WorkerMetrics;

/**
 * The models loaded in ONNX Runtime, keyed by file digest so that two names (or tenants) sharing one file share one
 * session, under a memory budget in bytes ({@code infermint.worker.memory-budget}).
 *
 * <p>Weight: a model weighs its file size times {@code infermint.worker.model-memory-factor}, known before it loads,
 * so that room is made before ONNX Runtime allocates anything. (A session's own memory cannot be measured reliably:
 * loads run concurrently in one process, and ONNX Runtime's arena grows with the batches after the load.)
 *
 * <p>Loading: on the first request for a model, or explicitly ({@link #load}, the repository API). A load that would
 * exceed the budget first unloads the least recently used models that run no request; a model with a batch in
 * flight is never evicted. A model heavier than the whole budget is a 507 {@code model_too_large}; one that would fit
 * but for models busy now is a 503 {@code insufficient_memory}. An evicted or unloaded model's session is closed,
 * with its batch schedulers, when its last request ends. Models are created on the device their deployment names
 * (else the worker's); a device this worker cannot use fails the load with 503 {@code device_unavailable}, never
 * falling back to another.
 *
 * <p>State: every model seen recently (the last {@value #KNOWN_MODELS}) is listed by {@link #index()} as
 * {@code READY}, {@code LOADING} or {@code UNAVAILABLE} with the reason.
 */
@ApplicationScoped
public class ModelCache {

  private static final Logger LOG = Logger.getLogger(ModelCache.class);
  static final int KNOWN_MODELS = 1000;

  @Inject
  BlobCache blobs;

  @Inject
  InferenceDevices devices;

  @Inject
  WorkerConfig config;

  @Inject
  WorkerMetrics metrics;

  private ResourcePool<OrtLoadedModel> pool;
  private double factor;
  /** What the index shows, by digest. */
  private final Cache<String, Known> known = Caffeine.newBuilder().maximumSize(KNOWN_MODELS)
      .executor(Runnable::run).build();

  /** A model's state in the repository index. */
  public enum State {
    /** Loaded and servable. */
    READY,
    /** Being fetched or loaded. */
    LOADING,
    /** Not loaded: never, evicted, unloaded, or its load failed. */
    UNAVAILABLE
  }

  /**
   * One entry of the repository index.
   *
   * @param model the model version last resolved for the file
   * @param state its state
   * @param reason why it is not ready (empty when it is)
   * @param device the device it runs or would run on
   * @param weight what it weighs against the budget, 0 before its file was fetched
   */
  public record Status(ResolvedModel model, State state, String reason, String device, long weight) {
  }

  /** What is known of one file. */
  private static final class Known {
    volatile ResolvedModel model;
    volatile String reason = "not loaded";
    volatile long weight;

    Known(ResolvedModel model) {
      this.model = model;
    }
  }

  @PostConstruct
  void init() {
    configure(config.memoryBudget().map(m -> m.asLongValue()).orElseGet(ModelCache::defaultBudget),
        config.modelMemoryFactor());
    metrics.modelsLoaded(() -> pool.size());
  }

  /** Sets the budget and factor; called once, before the first load (by {@link #init()}, or by a test). */
  void configure(long budgetBytes, double memoryFactor) {
    factor = memoryFactor <= 0 ? 1 : memoryFactor;
    pool = new ResourcePool<>("model", budgetBytes, new ResourcePool.Listener<>() {
      @Override
      public void removed(String digest, OrtLoadedModel value, ResourcePool.Removal why) {
        Known k = known.getIfPresent(digest);
        if (k != null) {
          k.reason = why == ResourcePool.Removal.EVICTED ? "evicted (least recently used) to make room for another"
              : "unloaded";
        }
        if (why == ResourcePool.Removal.EVICTED && k != null) {
          metrics.evicted(k.model);
        }
      }
    });
    LOG.infof("Model memory budget %d bytes; a model weighs its file size x %s", pool.budget(), factor);
  }

  @PreDestroy
  void shutdown() {
    pool.clear();
  }

  /** Half of the machine's physical memory: the rest is for the JVM, the tokenizers and the batches' tensors. */
  static long defaultBudget() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(256L << 20, os.getTotalMemorySize() / 2);
    }
    return 2L << 30;
  }

  /**
   * Gets a model's session, downloading and loading it first if needed.
   *
   * @param model the resolved model
   * @param deadline how long to wait for another request's load of the same file
   * @param requestId the request id to forward to the registry
   * @return a lease to close when the request is done with the model
   * @throws ProblemException 422 when ONNX Runtime cannot load the file; 502/503 when it cannot be fetched; 504 when
   *     the deadline passes while another request loads it; 507 when it is larger than the memory budget; 503 when
   *     the models holding the budget are busy or its device cannot be used here
   */
  public ResourcePool.Lease<OrtLoadedModel> acquire(ResolvedModel model, Deadline deadline, String requestId) {
    Known k = know(model);
    // The hot path: no file system or device check for a resident model.
    Optional<ResourcePool.Lease<OrtLoadedModel>> resident = pool.acquireIfPresent(model.digest());
    if (resident.isPresent()) {
      return resident.get();
    }
    try {
      InferenceDevice device = device(model);
      Path file = blobs.fetch(model.digest(), requestId);
      long size = Files.size(file);
      long weight = Math.max(1, (long) Math.ceil(size * factor));
      k.weight = weight;
      return pool.acquire(model.digest(), weight, () -> load(model, file, size, device), deadline);
    } catch (ResourcePool.NoRoomException e) {
      k.reason = e.getMessage();
      if (e.tooLarge()) {
        throw InferenceProblems.modelTooLarge(model.name(), model.version(), (long) (e.weight() / factor), factor,
            e.weight(), e.budget());
      }
      throw InferenceProblems.insufficientMemory(model.name(), model.version(), e.weight(), e.budget(), e.held());
    } catch (ProblemException e) {
      if (!pool.contains(model.digest())) {
        k.reason = e.problem().detail();
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cached model file of " + model.name(), e);
    }
  }

  /**
   * Loads a model if it is not loaded (the repository API's load).
   *
   * @param model the resolved model
   * @param requestId the request id to forward to the registry
   * @throws ProblemException as {@link #acquire}
   */
  public void load(ResolvedModel model, String requestId) {
    acquire(model, Deadline.NONE, requestId).close();
  }

  /**
   * Unloads a model; its session closes once its running requests end.
   *
   * @param model the resolved model
   * @return whether it was loaded
   */
  public boolean unload(ResolvedModel model) {
    know(model);
    return pool.unload(model.digest());
  }

  /**
   * Refuses a model that is not loaded and servable here.
   *
   * @param model the resolved model
   * @throws ProblemException 400 {@code model_not_ready} with its state
   */
  public void checkReady(ResolvedModel model) {
    Known k = know(model);
    if (!pool.contains(model.digest())) {
      throw InferenceProblems.modelNotReady(model.name(), model.version(), pool.loading(model.digest())
          ? "loading" : k.reason);
    }
  }

  /** @return every model seen recently, loaded ones first, then by name and version */
  public List<Status> index() {
    List<Status> out = new ArrayList<>();
    for (Map.Entry<String, Known> e : known.asMap().entrySet()) {
      Known k = e.getValue();
      State state = pool.contains(e.getKey()) ? State.READY : pool.loading(e.getKey()) ? State.LOADING
          : State.UNAVAILABLE;
      String device = devices.forModel(k.model).map(InferenceDevice::name).orElse(k.model.deployment().device());
      out.add(new Status(k.model, state, state == State.READY ? "" : state == State.LOADING ? "loading" : k.reason,
          device, k.weight));
    }
    out.sort(Comparator.comparing((Status s) -> s.state() != State.READY).thenComparing(s -> s.model().name())
        .thenComparing(s -> s.model().version()));
    return out;
  }

  /** @return how many models are loaded */
  public long loaded() {
    return pool.size();
  }

  /** @return the bytes the loaded models (and loads in progress) take of the budget */
  public long usedBytes() {
    return pool.used();
  }

  /** @return the memory budget in bytes */
  public long budgetBytes() {
    return pool.budget();
  }

  private Known know(ResolvedModel model) {
    Known k = known.get(model.digest(), d -> new Known(model));
    k.model = model;
    return k;
  }

  private InferenceDevice device(ResolvedModel model) {
    String wanted = model.deployment().device();
    InferenceDevice device = devices.forModel(model).orElseThrow(() -> failOnDevice(model, wanted,
        "the worker knows the devices cpu and gpu"));
    if (devices.of(devices.configured()) != device) {
      // The worker's own device was verified at start; another one is checked before each load.
      try {
        device.verify();
      } catch (IllegalStateException e) {
        throw failOnDevice(model, device.name(), e.getMessage());
      }
    }
    return device;
  }

  private ProblemException failOnDevice(ResolvedModel model, String device, String reason) {
    LOG.errorf("Model %s:%s (sha256:%s) is deployed on device '%s', which this worker cannot use: %s", model.name(),
        model.version(), model.digest(), device, reason);
    metrics.loadFailed(model, "device_unavailable");
    return InferenceProblems.deviceUnavailable(model.name(), model.version(), device, reason);
  }

  private OrtLoadedModel load(ResolvedModel resolved, Path file, long size, InferenceDevice device) {
    long start = System.nanoTime();
    Model model = Model.newInstance("sha256-" + resolved.digest().substring(0, 12), device.djlDevice(),
        "OnnxRuntime");
    OrtSession.SessionOptions options = null;
    try {
      try {
        options = device.sessionOptions();
      } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
        model.close();
        throw failOnDevice(resolved, device.name(), String.valueOf(e.getMessage()));
      }
      model.load(file, null, Map.of("sessionOptions", options));
      LOG.infof("Loaded model %s:%s (sha256:%s, %d bytes) on %s in %d ms", resolved.name(), resolved.version(),
          resolved.digest(), size, device.name(), (System.nanoTime() - start) / 1_000_000);
      return new OrtLoadedModel(model, options, resolved.digest(), size, device.name());
    } catch (MalformedModelException | IOException | EngineException e) {
      model.close();
      options.close();
      String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
          : e.getMessage();
      LOG.warnf("Model %s:%s (sha256:%s) failed to load: %s", resolved.name(), resolved.version(),
          resolved.digest(), reason);
      metrics.loadFailed(resolved, "model_load_failed");
      throw InferenceProblems.modelLoadFailed(resolved.name(), resolved.version(), reason);
    }
  }
}
