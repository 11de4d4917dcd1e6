package dev.infermint.worker.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.infermint.worker.batching.BatchMetrics;
import dev.infermint.worker.service.ResolvedModel;

/**
 * The worker's Prometheus metrics (SPEC §7, named after Triton's), served at {@code /q/metrics} without a token.
 * Every per-model series carries {@code model} and {@code version}; the request failure counter adds {@code reason}
 * (the problem's {@code code}), the pending-requests gauge {@code tenant}.
 *
 * <p>Cardinality: {@code model} and {@code version} are only ever those the registry resolved (a request for an
 * unknown name is counted with empty labels); a tenant's pending gauge exists while the tenant has a queue in a
 * loaded model's scheduler and goes when that queue has been idle for 30 s or the model is unloaded.
 */
@ApplicationScoped
public class WorkerMetrics {

  static final String SUCCESS = "infermint.inference.request.success";
  static final String FAILURE = "infermint.inference.request.failure";
  static final String COUNT = "infermint.inference.count";
  static final String EXEC_COUNT = "infermint.inference.exec.count";
  static final String QUEUE = "infermint.inference.queue.duration";
  static final String COMPUTE = "infermint.inference.compute.duration";
  static final String BATCH_SIZE = "infermint.inference.batch.size";
  static final String PENDING = "infermint.inference.pending.requests";
  static final String LOADED = "infermint.models.loaded";
  static final String EVICTIONS = "infermint.model.evictions";
  static final String LOAD_FAILURES = "infermint.model.load.failures";

  /** Batch-size histogram buckets: powers of two up to the largest batch a deployment may ask for. */
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final MeterRegistry registry;

  /** @param registry where the meters go (Quarkus's Prometheus registry) */
  @Inject
  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private static Tags tags(ResolvedModel model) {
    return model == null ? Tags.of("model", "", "version", "") : Tags.of("model", model.name(), "version",
        model.version());
  }

  /**
   * A request was answered with its result.
   *
   * @param model the model version that ran
   */
  public void succeeded(ResolvedModel model) {
    registry.counter(SUCCESS, tags(model)).increment();
  }

  /**
   * A request was answered with a problem.
   *
   * @param model the model version it asked for, null when none was resolved
   * @param reason the problem's code
   */
  public void failed(ResolvedModel model, String reason) {
    registry.counter(FAILURE, tags(model).and("reason", reason)).increment();
  }

  /**
   * A model was evicted to make room for another.
   *
   * @param model the evicted model version
   */
  public void evicted(ResolvedModel model) {
    registry.counter(EVICTIONS, tags(model)).increment();
  }

  /**
   * A model could not be loaded.
   *
   * @param model the model version
   * @param reason {@code device_unavailable} or {@code model_load_failed}
   */
  public void loadFailed(ResolvedModel model, String reason) {
    registry.counter(LOAD_FAILURES, tags(model).and("reason", reason)).increment();
  }

  /**
   * Publishes how many models are loaded.
   *
   * @param loaded reads it
   */
  public void modelsLoaded(LongSupplier loaded) {
    Gauge.builder(LOADED, loaded::getAsLong).description("Models loaded in ONNX Runtime").strongReference(true)
        .register(registry);
  }

  /**
   * @param model the model version a scheduler runs
   * @return what its scheduler reports to
   */
  public BatchMetrics batches(ResolvedModel model) {
    return new ModelBatchMetrics(model);
  }

  /** One scheduler's meters, looked up once. */
  private final class ModelBatchMetrics implements BatchMetrics {
    private final Tags tags;
    private final Counter count;
    private final Counter exec;
    private final Timer queue;
    private final Timer compute;
    private final DistributionSummary size;
    private final Map<String, Gauge> pending = new ConcurrentHashMap<>();

    ModelBatchMetrics(ResolvedModel model) {
      tags = tags(model);
      count = Counter.builder(COUNT).description("Items (rows) inferred").tags(tags).register(registry);
      exec = Counter.builder(EXEC_COUNT).description("Batches executed").tags(tags).register(registry);
      queue = Timer.builder(QUEUE).description("Time requests waited in the batch queue").tags(tags)
          .register(registry);
      compute = Timer.builder(COMPUTE).description("Time batches ran in ONNX Runtime").tags(tags)
          .register(registry);
      size = DistributionSummary.builder(BATCH_SIZE).description("Rows per executed batch").tags(tags)
          .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
    }

    @Override
    public void queued(long nanos) {
      queue.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void executed(int requests, int rows, long computeNanos) {
      count.increment(rows);
      exec.increment();
      size.record(rows);
      compute.record(computeNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void tenantWaiting(String tenant, IntSupplier waiting) {
      pending.computeIfAbsent(tenant, t -> Gauge.builder(PENDING, waiting::getAsInt)
          .description("Requests waiting in the batch queue").tags(tags.and("tenant", t)).strongReference(true)
          .register(registry));
    }

    @Override
    public void tenantIdle(String tenant) {
      Gauge gauge = pending.remove(tenant);
      if (gauge != null) {
        registry.remove(gauge);
      }
    }

    @Override
    public void close() {
      pending.keySet().forEach(this::tenantIdle);
    }
  }
}
