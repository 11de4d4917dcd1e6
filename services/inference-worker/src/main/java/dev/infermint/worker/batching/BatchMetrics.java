package dev.infermint.worker.batching;

import java.util.function.IntSupplier;

/**
 * What a {@link BatchScheduler} reports about one model, as Triton's per-model statistics: how long requests wait,
 * how many batches and rows run, and how many requests each tenant has waiting. Called on the scheduler's threads;
 * {@link #tenantWaiting} and {@link #tenantIdle} under its lock, so they must be quick and must not call back.
 */
public interface BatchMetrics {

  /** Reports nothing. */
  BatchMetrics NONE = new BatchMetrics() { };

  /**
   * A request left the queue for a batch.
   *
   * @param nanos how long it waited
   */
  default void queued(long nanos) {
  }

  /**
   * A batch ran and gave every request its result.
   *
   * @param requests the requests in it
   * @param rows the rows (items) in it
   * @param computeNanos how long the runner took
   */
  default void executed(int requests, int rows, long computeNanos) {
  }

  /**
   * A tenant has a queue now; its waiting requests can be read from {@code waiting} until {@link #tenantIdle}.
   *
   * @param tenant the tenant
   * @param waiting its requests waiting now
   */
  default void tenantWaiting(String tenant, IntSupplier waiting) {
  }

  /**
   * A tenant's queue was empty for a while and was dropped.
   *
   * @param tenant the tenant
   */
  default void tenantIdle(String tenant) {
  }

  /** The scheduler was closed (its model unloaded): drop whatever it reported per tenant. */
  default void close() {
  }
}
