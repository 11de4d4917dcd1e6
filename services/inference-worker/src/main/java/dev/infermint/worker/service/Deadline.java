package dev.infermint.worker.service;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;

/**
 * The absolute time by which a caller needs its answer, in epoch milliseconds (UTC), as the gateway sends it. The
 * worker checks it on arrival, after waiting for a model or tokenizer to load and while waiting for its turn on the
 * device; once it has passed the model is not run. A computation already running is not cut short.
 *
 * <p>Clocks: the deadline is compared with this machine's wall clock, so gateway and worker hosts must keep time
 * (NTP); a skew of a few milliseconds only moves the cut-off by as much.
 *
 * @param epochMillis the deadline; {@link Long#MAX_VALUE} for none
 */
public record Deadline(long epochMillis) {

  /** No deadline: the call may take as long as the worker's own limits allow. */
  public static final Deadline NONE = new Deadline(Long.MAX_VALUE);

  /** @return whether this is {@link #NONE} */
  public boolean unbounded() {
    return epochMillis == Long.MAX_VALUE;
  }

  /** @return milliseconds left, 0 once passed; {@link Long#MAX_VALUE} without a deadline */
  public long remainingMillis() {
    return unbounded() ? Long.MAX_VALUE : Math.max(0, epochMillis - System.currentTimeMillis());
  }

  /** @return whether the deadline has come (a call with no time left cannot finish in time) */
  public boolean passed() {
    return !unbounded() && System.currentTimeMillis() >= epochMillis;
  }

  /**
   * Refuses to go on once the deadline has passed.
   *
   * @param stage when the check runs, for the message: {@code on arrival}, {@code while waiting for its turn}...
   * @throws ProblemException 504 {@code deadline_exceeded} when it has passed
   */
  public void check(String stage) {
    if (passed()) {
      throw InferenceProblems.deadlineExceeded(epochMillis, stage);
    }
  }
}
