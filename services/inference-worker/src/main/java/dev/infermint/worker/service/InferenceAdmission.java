package dev.infermint.worker.service;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.batching.BatchRunner;
import dev.infermint.worker.batching.BatchScheduler;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.metrics.WorkerMetrics;

/**
 * Decides when an inference call may run on the device: at most {@code admission.max-concurrent} at once, the others
 * waiting for their turn in arrival order, as Triton's queue policy does. A call that finds {@code max-queued} calls
 * already waiting is refused at once, and one that waits longer than {@code max-wait} is refused then, both with 503
 * {@code overloaded} and {@code Retry-After}; one whose deadline passes while it waits gets 504
 * {@code deadline_exceeded}. Before ONNX Runtime and the device were checked every call is a 503 {@code unavailable}.
 *
 * <p>Only running the model takes a turn; resolving, validating and loading happen before, outside the queue.
 *
 * <p>Inference calls reach the device through a per-model {@link BatchScheduler} made here ({@link #scheduler}):
 * its bounded, tenant-fair queue holds at most {@code max-queued} requests per model, a request waits there at most
 * {@code max-wait} (or its deadline), and every batch it runs takes one of the {@code max-concurrent} turns
 * ({@link #batchTurn()}), so batches of all models together never oversubscribe the device.
 */
@ApplicationScoped
public class InferenceAdmission {

  /** A turn on the device; closing it hands the turn to the next waiting call. */
  public interface Turn extends AutoCloseable {
    @Override
    void close();
  }

  @Inject
  WorkerConfig config;

  @Inject
  DjlRuntime runtime;

  @Inject
  WorkerMetrics metrics;

  private Semaphore slots;
  private final AtomicInteger waiting = new AtomicInteger();
  private int maxConcurrent;
  private int maxQueued;
  private long maxWaitMillis;
  private BooleanSupplier ready;
  private Turn turn;
  private final AtomicInteger batchThreadCount = new AtomicInteger();
  /** Runs the batch loops: a thread per busy model instance, gone after a minute idle. */
  private final ExecutorService batchThreads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "infermint-batch-" + batchThreadCount.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  @PreDestroy
  void shutdown() {
    batchThreads.shutdownNow();
  }

  @PostConstruct
  void init() {
    WorkerConfig.Admission a = config.admission();
    configure(a.maxConcurrent().orElse(Runtime.getRuntime().availableProcessors()), a.maxQueued(), a.maxWait(),
        runtime::started);
  }

  /** Sets the limits; called once, before the first call (by {@link #init()}, or by a test). */
  void configure(int concurrent, int queued, Duration maxWait, BooleanSupplier isReady) {
    maxConcurrent = Math.max(1, concurrent);
    slots = new Semaphore(maxConcurrent, true);
    maxQueued = Math.max(0, queued);
    maxWaitMillis = maxWait.toMillis();
    ready = isReady;
    turn = slots::release;
  }

  /**
   * Waits for the call's turn on the device.
   *
   * @param deadline the caller's deadline
   * @return the turn, to close when the model has run
   * @throws ProblemException 503 when not ready or overloaded, 504 when the deadline passes first
   */
  public Turn admit(Deadline deadline) {
    if (!ready.getAsBoolean()) {
      throw InferenceProblems.notReady();
    }
    deadline.check("while waiting for its turn");
    // A fair semaphore's tryAcquire() would jump the queue; the timed form with 0 keeps arrival order.
    if (tryAcquire(0)) {
      return turn;
    }
    if (waiting.incrementAndGet() > maxQueued) {
      waiting.decrementAndGet();
      throw InferenceProblems.overloaded("all " + maxConcurrent + " device slots are busy and " + maxQueued
          + " calls already wait for one");
    }
    try {
      long wait = Math.min(deadline.remainingMillis(), maxWaitMillis);
      if (tryAcquire(wait)) {
        return turn;
      }
    } finally {
      waiting.decrementAndGet();
    }
    deadline.check("while waiting for its turn");
    throw InferenceProblems.overloaded("waited " + maxWaitMillis + " ms for one of " + maxConcurrent
        + " busy device slots");
  }

  /**
   * Refuses every call before ONNX Runtime and the device were checked.
   *
   * @throws ProblemException 503 {@code unavailable} with {@code Retry-After}
   */
  public void checkReady() {
    if (!ready.getAsBoolean()) {
      throw InferenceProblems.notReady();
    }
  }

  /** @return the longest a request waits in a batch queue when its deadline is not sooner */
  public Duration maxWait() {
    return Duration.ofMillis(maxWaitMillis);
  }

  /**
   * Makes the batcher of one model: batch size, delay and instances from the model's deployment, else the worker's
   * {@code batching.*} defaults; this admission's queue bound and turns, and the shared batch threads.
   * {@code batching.enabled=false} runs every request alone whatever the deployment says.
   *
   * @param model the model (its name for messages, its deployment for the knobs)
   * @param runner runs one batch of it
   * @param <I> a request's input
   * @param <O> a request's result
   * @return the scheduler; one per loaded model file and kind of request, owned by the {@link OrtLoadedModel}
   */
  public <I, O> BatchScheduler<I, O> scheduler(ResolvedModel model, BatchRunner<I, O> runner) {
    return new BatchScheduler<>(model.name(), settings(model.deployment()), runner, batchThreads, this::batchTurn,
        metrics.batches(model));
  }

  /**
   * @param deployment a model's deployment
   * @return its batching settings, the worker's defaults filling what it leaves unset
   */
  public BatchScheduler.Settings settings(Deployment deployment) {
    WorkerConfig.Batching b = config.batching();
    int size = deployment.maxBatchSize() != null ? deployment.maxBatchSize() : b.maxBatchSize();
    Duration delay = deployment.maxQueueDelayMs() != null ? Duration.ofMillis(deployment.maxQueueDelayMs())
        : b.maxQueueDelay();
    int instances = deployment.instances() != null ? deployment.instances() : b.instances();
    return new BatchScheduler.Settings(b.enabled() ? size : 1, delay, instances, maxQueued,
        b.enabled() ? b.sharedBatchSize() : 1, b.enabled() && b.fairLane());
  }

  /**
   * Waits, without limit, for a turn to run one batch: batches only start for requests already admitted to a
   * bounded queue, and every turn is handed back when its batch ends.
   *
   * @return the turn, to close when the batch has run
   */
  BatchScheduler.Turn batchTurn() {
    slots.acquireUninterruptibly();
    return slots::release;
  }

  /** @return how many calls wait for their turn now */
  public int waiting() {
    return waiting.get();
  }

  private boolean tryAcquire(long millis) {
    try {
      return slots.tryAcquire(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw InferenceProblems.overloaded("interrupted while waiting for a device slot (the worker is stopping)");
    }
  }
}
