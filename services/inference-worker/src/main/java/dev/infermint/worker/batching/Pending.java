package dev.infermint.worker.batching;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.service.Deadline;

/**
 * The result of a request queued in a {@link BatchScheduler}. It is queued, then either claimed by a batch (and runs
 * to the end) or withdrawn by its caller (and never runs): whichever comes first wins.
 *
 * @param <O> the result
 */
public final class Pending<O> extends CompletableFuture<O> {

  private static final int QUEUED = 0;
  private static final int CLAIMED = 1;
  private static final int WITHDRAWN = 2;

  private final AtomicInteger state = new AtomicInteger(QUEUED);

  /** @return whether a batch took it (false once withdrawn) */
  boolean claim() {
    return state.compareAndSet(QUEUED, CLAIMED) || state.get() == CLAIMED;
  }

  /** @return whether the caller withdrew it before a batch took it */
  boolean withdrawn() {
    return state.get() == WITHDRAWN;
  }

  /** @return whether it was still waiting and now never runs */
  public boolean withdraw() {
    return state.compareAndSet(QUEUED, WITHDRAWN);
  }

  /**
   * Blocks until the result, as a blocking REST call does: at most until the deadline or {@code maxWait}, whichever
   * is sooner, while the request waits; without limit once its batch has started (a started request is not cut
   * short).
   *
   * @param deadline the caller's deadline
   * @param maxWait the longest wait in the queue
   * @return the result
   * @throws ProblemException 504 {@code deadline_exceeded} when the deadline passes first, 503 {@code overloaded}
   *     when {@code maxWait} does, or the request's own failure
   */
  public O await(Deadline deadline, Duration maxWait) {
    long wait = Math.min(deadline.remainingMillis(), maxWait.toMillis());
    try {
      try {
        return get(wait, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (withdraw()) {
          deadline.check("while waiting in the batch queue");
          throw InferenceProblems.overloaded("waited " + maxWait.toMillis() + " ms in the batch queue");
        }
        return get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (CancellationException e) {
      throw InferenceProblems.overloaded("the request was cancelled (the worker is stopping)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      withdraw();
      throw InferenceProblems.overloaded("interrupted while waiting in the batch queue (the worker is stopping)");
    }
  }
}
