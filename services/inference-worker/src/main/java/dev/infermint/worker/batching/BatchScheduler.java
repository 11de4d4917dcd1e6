package dev.infermint.worker.batching;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.service.Deadline;

/**
 * The dynamic batcher of one model, with Triton's semantics and tenant-fair admission. Requests arrive as data
 * ({@link #submit}: the tenant, a batch key, the rows, the deadline and the decoded input) and wait in per-tenant
 * queues; up to {@code instances} batches run at once, each on a pool thread, through the {@link BatchRunner}.
 *
 * <p>Batch formation: a batch starts once requests wait and either {@code maxBatchSize} rows are pending or the
 * oldest has waited {@code maxQueueDelay}; it then takes requests with the first request's batch key until
 * {@code maxBatchSize} rows. Tenants are served by deficit round robin with a quantum of one row per visit, the
 * tenant that starts a batch rotating, so a tenant's flood takes at most its share of each batch and another tenant's
 * request runs in the next batch formed. While more than one tenant calls, batches hold at most
 * {@code sharedBatchSize} rows, so that the batch a request waits behind, and its own, end sooner. With
 * {@code fairLane}, a request of a tenant with no batch running does not wait behind other tenants' running batches:
 * one more loop runs batches of such tenants beside them. A request larger than the batch size runs alone.
 *
 * <p>Bounds: at most {@code maxQueued} requests wait (across tenants); the next is refused at once with 503
 * {@code overloaded}. A request whose deadline passed, or that the caller withdrew ({@link Pending#await}), is
 * dropped when a batch is formed and never reaches the runner. A request that has started is not cut short.
 *
 * <p>Isolation: when a batch of several requests fails, each is run again alone, so one request's bad values fail
 * only that request.
 *
 * <p>Metrics and lifecycle: what waits and runs is reported to {@link BatchMetrics}. A tenant's queue (and what it
 * reports) is dropped once it has been empty for {@link #IDLE_TENANT_NANOS}, so tenants that stopped calling hold no
 * memory and no metric series. {@link #close()} (the model was unloaded) fails whatever still waits.
 *
 * @param <I> a request's input
 * @param <O> a request's result
 */
public final class BatchScheduler<I, O> {

  private static final Logger LOG = Logger.getLogger(BatchScheduler.class);

  /** How long an empty tenant queue is kept (30 s), so a tenant calling now and then is not re-registered each time. */
  static final long IDLE_TENANT_NANOS = 30_000_000_000L;

  /**
   * How one model batches.
   *
   * @param maxBatchSize the most rows of a batch
   * @param maxQueueDelay how long the oldest request may wait for others
   * @param instances batches that run at once
   * @param maxQueued requests that may wait
   * @param sharedBatchSize the most rows of a batch while more than one tenant calls ({@link #CALLING_NANOS}): a
   *     smaller batch ends sooner, so a tenant's request waits less behind another's flood; at most
   *     {@code maxBatchSize}
   * @param fairLane whether a request of a tenant with no batch running starts a batch at once, beside the
   *     {@code instances} batches of other tenants, instead of waiting for one of them to end
   */
  public record Settings(int maxBatchSize, Duration maxQueueDelay, int instances, int maxQueued,
      int sharedBatchSize, boolean fairLane) {

    /** Clamps to sensible values: at least 1 row, 1 instance, 0 queued, no negative delay. */
    public Settings {
      maxBatchSize = Math.max(1, maxBatchSize);
      maxQueueDelay = maxQueueDelay == null || maxQueueDelay.isNegative() ? Duration.ZERO : maxQueueDelay;
      instances = Math.max(1, instances);
      maxQueued = Math.max(0, maxQueued);
      sharedBatchSize = Math.max(1, Math.min(maxBatchSize, sharedBatchSize));
    }

    /** Settings whose batches are as large whether one tenant calls or many, without the fair lane. */
    public Settings(int maxBatchSize, Duration maxQueueDelay, int instances, int maxQueued) {
      this(maxBatchSize, maxQueueDelay, instances, maxQueued, maxBatchSize, false);
    }
  }

  /**
   * A tenant counts as calling while it has requests waiting or had one taken into a batch in the last second: a
   * tenant that calls one request at a time has none waiting while its answer travels, and the batch formed then
   * must not grow back to {@code maxBatchSize} in front of its next request.
   */
  static final long CALLING_NANOS = 1_000_000_000L;

  /** What a turn on the device is: closed when the batch has run. */
  public interface Turn extends AutoCloseable {
    @Override
    void close();
  }

  private final String name;
  private final Settings settings;
  private final BatchRunner<I, O> runner;
  private final Executor executor;
  private final Supplier<Turn> turns;
  private final BatchMetrics metrics;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Map<String, TenantQueue<I, O>> tenants = new HashMap<>();
  /** Tenants with waiting requests, in round-robin order; the head starts the next batch. */
  private final ArrayDeque<TenantQueue<I, O>> ring = new ArrayDeque<>();
  private int queued;
  private long queuedRows;
  private int draining;
  /** Whether the fair lane's loop runs. */
  private boolean laneBusy;
  /** Batches running now (formed and not yet ended), the fair lane's included. */
  private int runningBatches;
  private long lastSweep = System.nanoTime();
  private boolean closed;
  private final Runnable drainLoop = this::drain;

  /**
   * @param name the model, for messages
   * @param settings batch size, delay, instances and queue bound
   * @param runner runs one batch
   * @param executor runs the batch loops (one per busy instance; a loop ends when nothing waits)
   * @param turns takes a device-wide turn before each batch (blocking); the worker's admission
   */
  public BatchScheduler(String name, Settings settings, BatchRunner<I, O> runner, Executor executor,
      Supplier<Turn> turns) {
    this(name, settings, runner, executor, turns, BatchMetrics.NONE);
  }

  /**
   * @param name the model, for messages
   * @param settings batch size, delay, instances and queue bound
   * @param runner runs one batch
   * @param executor runs the batch loops (one per busy instance; a loop ends when nothing waits)
   * @param turns takes a device-wide turn before each batch (blocking); the worker's admission
   * @param metrics told what waits and runs
   */
  public BatchScheduler(String name, Settings settings, BatchRunner<I, O> runner, Executor executor,
      Supplier<Turn> turns, BatchMetrics metrics) {
    this.name = name;
    this.settings = settings;
    this.runner = runner;
    this.executor = executor;
    this.turns = turns;
    this.metrics = metrics;
  }

  /**
   * Stops taking requests: what still waits fails with 503 {@code overloaded}, and the metrics of its tenants go.
   * Called when the model is unloaded; a batch already running finishes.
   */
  public void close() {
    List<Job<I, O>> orphans = new ArrayList<>();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (TenantQueue<I, O> q : tenants.values()) {
        orphans.addAll(q.jobs);
        q.jobs.clear();
        q.waiting = 0;
      }
      tenants.clear();
      ring.clear();
      queued = 0;
      queuedRows = 0;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    for (Job<I, O> job : orphans) {
      if (job.result.claim()) {
        job.result.completeExceptionally(InferenceProblems.overloaded("model '" + name
            + "' was unloaded while the request waited"));
      }
    }
    metrics.close();
  }

  /** @return the settings */
  public Settings settings() {
    return settings;
  }

  /**
   * Queues a request for the next batches.
   *
   * @param tenant the caller's tenant, whose queue it joins
   * @param key requests merge only with requests of an equal key (shapes beyond dimension 0, datatypes...)
   * @param rows the rows it adds to a batch (dimension 0), at least 1
   * @param deadline dropped with 504 once passed before it runs
   * @param input the decoded request
   * @return its pending result
   * @throws ProblemException 503 {@code overloaded} when {@code maxQueued} requests already wait
   */
  public Pending<O> submit(String tenant, Object key, int rows, Deadline deadline, I input) {
    Job<I, O> job = new Job<>(Objects.requireNonNull(tenant), Objects.requireNonNull(key), Math.max(1, rows),
        deadline, input, System.nanoTime());
    Runnable start = null;
    lock.lock();
    try {
      if (closed) {
        throw InferenceProblems.overloaded("model '" + name + "' is being unloaded");
      }
      sweepIdleTenants(job.enqueued);
      if (queued >= settings.maxQueued()) {
        // Withdrawn and expired requests hold no place: count only those that can still run.
        dropDead();
      }
      if (queued >= settings.maxQueued()) {
        throw InferenceProblems.overloaded(queued + " requests already wait for model '" + name
            + "', the most its queue holds");
      }
      TenantQueue<I, O> q = tenants.get(tenant);
      if (q == null) {
        q = new TenantQueue<>(tenant);
        tenants.put(tenant, q);
        metrics.tenantWaiting(tenant, q::waiting);
      }
      if (q.jobs.isEmpty()) {
        ring.addLast(q);
      }
      q.jobs.addLast(job);
      q.waiting = q.jobs.size();
      queued++;
      queuedRows += job.rows;
      if (draining < settings.instances()) {
        draining++;
        start = drainLoop;
      } else if (settings.fairLane() && !laneBusy && q.running == 0 && runningBatches > 0) {
        // Every instance runs other tenants' batches: this tenant's request need not wait for them.
        laneBusy = true;
        start = this::lane;
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    if (start != null) {
      try {
        executor.execute(start);
      } catch (RuntimeException e) {
        lock.lock();
        try {
          if (start == drainLoop) {
            draining--;
          } else {
            laneBusy = false;
          }
        } finally {
          lock.unlock();
        }
        throw InferenceProblems.overloaded("no thread to run model '" + name + "': " + e.getMessage());
      }
    }
    return job.result;
  }

  /** @return the requests waiting now (not running) */
  public int queued() {
    lock.lock();
    try {
      return queued;
    } finally {
      lock.unlock();
    }
  }

  /** One instance's loop: forms and runs batches until nothing waits. */
  private void drain() {
    while (true) {
      Batch<I, O> batch;
      lock.lock();
      try {
        batch = nextBatch();
        if (batch == null) {
          draining--;
          return;
        }
      } finally {
        lock.unlock();
      }
      runAndEnd(batch);
    }
  }

  /**
   * The fair lane's loop: while other tenants' batches run, runs batches of the tenants that have none running;
   * ends when there are none, or nothing else runs (the instances' loops serve everyone then).
   */
  private void lane() {
    while (true) {
      Batch<I, O> batch;
      lock.lock();
      try {
        dropDead();
        batch = runningBatches == 0 ? null : form(q -> q.running == 0);
        if (batch == null) {
          laneBusy = false;
          return;
        }
      } finally {
        lock.unlock();
      }
      runAndEnd(batch);
    }
  }

  private void runAndEnd(Batch<I, O> batch) {
    try {
      if (!batch.jobs.isEmpty()) {
        run(batch.jobs);
      }
    } finally {
      lock.lock();
      try {
        for (TenantQueue<I, O> q : batch.queues) {
          q.running--;
        }
        runningBatches--;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits for a batch's worth or the oldest request's delay; null when nothing waits. Holds the lock. */
  private Batch<I, O> nextBatch() {
    long delay = settings.maxQueueDelay().toNanos();
    while (true) {
      dropDead();
      if (queued == 0) {
        return null;
      }
      long now = System.nanoTime();
      long waited = 0;
      for (TenantQueue<I, O> q : ring) {
        waited = Math.max(waited, now - q.jobs.peekFirst().enqueued);
      }
      long wait = delay - waited;
      if (queuedRows >= batchLimit(now) || wait <= 0) {
        return form(q -> true);
      }
      try {
        arrived.awaitNanos(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return form(q -> true);
      }
    }
  }

  /** Removes withdrawn and expired requests from the heads and the middle of every queue. Holds the lock. */
  private void dropDead() {
    for (Iterator<TenantQueue<I, O>> it = ring.iterator(); it.hasNext(); ) {
      TenantQueue<I, O> q = it.next();
      for (Iterator<Job<I, O>> jobs = q.jobs.iterator(); jobs.hasNext(); ) {
        Job<I, O> job = jobs.next();
        boolean withdrawn = job.result.withdrawn();
        if (withdrawn || job.deadline.passed()) {
          jobs.remove();
          q.waiting = q.jobs.size();
          queued--;
          queuedRows -= job.rows;
          if (!withdrawn && job.result.claim()) {
            job.result.completeExceptionally(InferenceProblems.deadlineExceeded(job.deadline.epochMillis(),
                "while waiting in the batch queue"));
          }
        }
      }
      if (q.jobs.isEmpty()) {
        q.deficit = 0;
        q.emptySince = System.nanoTime();
        it.remove();
      }
    }
  }

  /** Drops tenant queues empty for {@link #IDLE_TENANT_NANOS}; looks at most once a second. Holds the lock. */
  private void sweepIdleTenants(long now) {
    if (now - lastSweep < 1_000_000_000L) {
      return;
    }
    lastSweep = now;
    for (Iterator<TenantQueue<I, O>> it = tenants.values().iterator(); it.hasNext(); ) {
      TenantQueue<I, O> q = it.next();
      if (q.jobs.isEmpty() && now - q.emptySince >= IDLE_TENANT_NANOS) {
        it.remove();
        metrics.tenantIdle(q.tenant);
      }
    }
  }

  /**
   * Deficit round robin over the tenants with waiting requests, one row of credit per visit: takes each tenant's
   * head while its credit covers it and the batch has room and the key matches. Holds the lock.
   */
  private Batch<I, O> form(Predicate<TenantQueue<I, O>> eligible) {
    int max = batchLimit(System.nanoTime());
    List<Job<I, O>> batch = new ArrayList<>();
    List<TenantQueue<I, O>> queues = new ArrayList<>();
    int rows = 0;
    Object key = null;
    // The starting tenant rotates, so a batch never starts with the same tenant twice running while others wait.
    TenantQueue<I, O> first = null;
    for (TenantQueue<I, O> q : ring) {
      if (eligible.test(q)) {
        first = q;
        break;
      }
    }
    if (first == null) {
      return null;
    }
    ring.remove(first);
    ring.addLast(first);
    Job<I, O> head = first.jobs.peekFirst();
    take(first, head, batch);
    queues.add(first);
    rows += head.rows;
    key = head.key;
    // The starter is served before its credit covers it; it repays from later visits (at most one batch's worth).
    first.deficit = Math.max(-max, first.deficit - (head.rows - 1));
    boolean progress = true;
    while (rows < max && progress) {
      progress = false;
      for (TenantQueue<I, O> q : List.copyOf(ring)) {
        if (q.jobs.isEmpty() || rows >= max || !eligible.test(q)) {
          continue;
        }
        Job<I, O> next = q.jobs.peekFirst();
        if (!next.key.equals(key) || rows + next.rows > max) {
          continue;
        }
        progress = true;
        q.deficit++;
        if (!queues.contains(q)) {
          queues.add(q);
        }
        while (next != null && next.key.equals(key) && next.rows <= q.deficit && rows + next.rows <= max) {
          take(q, next, batch);
          q.deficit -= next.rows;
          rows += next.rows;
          next = q.jobs.peekFirst();
        }
      }
    }
    long now = System.nanoTime();
    for (Iterator<TenantQueue<I, O>> it = ring.iterator(); it.hasNext(); ) {
      TenantQueue<I, O> q = it.next();
      if (q.jobs.isEmpty()) {
        q.deficit = 0;
        q.emptySince = now;
        it.remove();
      }
    }
    batch.removeIf(job -> !job.result.claim());
    for (TenantQueue<I, O> q : queues) {
      q.running++;
    }
    runningBatches++;
    return new Batch<>(batch, queues);
  }

  /** A formed batch and the tenant queues its requests came from. */
  private record Batch<I, O>(List<Job<I, O>> jobs, List<TenantQueue<I, O>> queues) {
  }

  /** The rows the next batch may take: {@code sharedBatchSize} while two tenants or more call. Holds the lock. */
  private int batchLimit(long now) {
    if (settings.sharedBatchSize() >= settings.maxBatchSize()) {
      return settings.maxBatchSize();
    }
    int calling = 0;
    for (TenantQueue<I, O> q : tenants.values()) {
      if ((!q.jobs.isEmpty() || now - q.emptySince < CALLING_NANOS) && ++calling > 1) {
        return settings.sharedBatchSize();
      }
    }
    return settings.maxBatchSize();
  }

  private void take(TenantQueue<I, O> q, Job<I, O> job, List<Job<I, O>> batch) {
    q.jobs.pollFirst();
    q.waiting = q.jobs.size();
    queued--;
    queuedRows -= job.rows;
    batch.add(job);
  }

  private void run(List<Job<I, O>> batch) {
    if (LOG.isDebugEnabled() && batch.size() > 1) {
      LOG.debugf("Model '%s': one batch of %d requests, %d rows", name, batch.size(),
          batch.stream().mapToInt(Job::rows).sum());
    }
    try (Turn ignored = turns.get()) {
      long start = System.nanoTime();
      for (Job<I, O> job : batch) {
        metrics.queued(start - job.enqueued);
      }
      List<O> results;
      try {
        results = runner.run(batch.stream().map(j -> j.input).toList());
        if (results.size() != batch.size()) {
          throw new IllegalStateException("the runner gave " + results.size() + " results for " + batch.size()
              + " requests");
        }
      } catch (Throwable e) {
        if (batch.size() == 1) {
          batch.get(0).result.completeExceptionally(e);
          return;
        }
        // One request's bad values must not fail the others merged with it: run each alone.
        for (Job<I, O> job : batch) {
          try {
            long aloneStart = System.nanoTime();
            O result = runner.run(List.of(job.input)).get(0);
            metrics.executed(1, job.rows, System.nanoTime() - aloneStart);
            job.result.complete(result);
          } catch (Throwable alone) {
            job.result.completeExceptionally(alone);
          }
        }
        return;
      }
      metrics.executed(batch.size(), batch.stream().mapToInt(Job::rows).sum(), System.nanoTime() - start);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(results.get(i));
      }
    } catch (Throwable e) {
      // The turn itself failed (the worker is stopping): nothing in the batch ran.
      for (Job<I, O> job : batch) {
        job.result.completeExceptionally(e);
      }
    }
  }

  private static final class TenantQueue<I, O> {
    final String tenant;
    final ArrayDeque<Job<I, O>> jobs = new ArrayDeque<>();
    long deficit;
    long emptySince;
    /** Batches running with this tenant's requests. */
    int running;
    /** The jobs waiting, for metrics read without the lock. */
    volatile int waiting;

    TenantQueue(String tenant) {
      this.tenant = tenant;
      this.emptySince = System.nanoTime();
    }

    int waiting() {
      return waiting;
    }
  }

  private record Job<I, O>(String tenant, Object key, int rows, Deadline deadline, I input, long enqueued,
      Pending<O> result) {
    Job(String tenant, Object key, int rows, Deadline deadline, I input, long enqueued) {
      this(tenant, key, rows, deadline, input, enqueued, new Pending<>());
    }
  }
}
