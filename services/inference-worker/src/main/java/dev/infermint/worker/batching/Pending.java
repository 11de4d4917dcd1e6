package dev.infermint.worker.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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

  /**
   * Withdraws requests that waited too long ({@link #completion}): one daemon thread for the worker, whose timers are
   * cancelled (and dropped) as soon as their request completes, so a busy worker holds no timer per finished call.
   */
  private static final ScheduledThreadPoolExecutor TIMEOUTS = timeouts();

  private final AtomicInteger state = new AtomicInteger(QUEUED);

  private static ScheduledThreadPoolExecutor timeouts() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "infermint-queue-timeouts");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

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
   * The result without blocking anybody, for a non-blocking REST call: completes with the result, or, when the
   * request still waits in the queue at its deadline or after {@code maxWait} (whichever is sooner), is withdrawn (it
   * never runs) and fails with 504 {@code deadline_exceeded} or 503 {@code overloaded}. Once its batch has started it
   * is not cut short.
   *
   * @param deadline the caller's deadline
   * @param maxWait the longest wait in the queue
   * @return this, failing as said when it waits too long
   */
  public CompletableFuture<O> completion(Deadline deadline, Duration maxWait) {
    long wait = Math.min(deadline.remainingMillis(), maxWait.toMillis());
    boolean byDeadline = deadline.remainingMillis() <= maxWait.toMillis();
    if (isDone()) {
      return this;
    }
    ScheduledFuture<?> timer = TIMEOUTS.schedule(() -> {
      if (withdraw()) {
        completeExceptionally(byDeadline
            ? InferenceProblems.deadlineExceeded(deadline.epochMillis(), "while waiting in the batch queue")
            : InferenceProblems.overloaded("waited " + maxWait.toMillis() + " ms in the batch queue"));
      }
    }, Math.max(0, wait), TimeUnit.MILLISECONDS);
    whenComplete((result, failure) -> timer.cancel(false));
    return this;
  }

  /**
   * All results of one call's requests (an embeddings call's chunks), in order, without blocking: the first failure
   * fails the whole and withdraws the requests that still wait (they need not run).
   *
   * @param pending the requests, each with its {@link #completion} timeout
   * @param deadline the caller's deadline
   * @param maxWait the longest wait in the queue
   * @param <O> a request's result
   * @return the results
   */
  public static <O> CompletableFuture<List<O>> all(List<Pending<O>> pending, Deadline deadline, Duration maxWait) {
    CompletableFuture<List<O>> all = new CompletableFuture<>();
    if (pending.isEmpty()) {
      all.complete(List.of());
      return all;
    }
    AtomicInteger left = new AtomicInteger(pending.size());
    for (Pending<O> p : pending) {
      p.completion(deadline, maxWait).whenComplete((result, failure) -> {
        if (failure != null) {
          pending.forEach(Pending::withdraw);
          all.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null
              ? c.getCause() : failure);
        } else if (left.decrementAndGet() == 0) {
          List<O> results = new ArrayList<>(pending.size());
          pending.forEach(done -> results.add(done.join()));
          all.complete(results);
        }
      });
    }
    return all;
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
