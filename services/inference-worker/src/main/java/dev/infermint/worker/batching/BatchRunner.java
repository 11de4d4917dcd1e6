package dev.infermint.worker.batching;

import java.util.List;

/**
 * Runs one batch of requests on a model: merges their inputs, runs the session once and splits the outputs back.
 *
 * @param <I> a request's input
 * @param <O> a request's result
 */
@FunctionalInterface
public interface BatchRunner<I, O> {

  /**
   * @param inputs the batch's requests, in the order they were taken (all with one batch key)
   * @return one result per input, in the same order
   * @throws Exception when the batch fails; the scheduler then runs each request alone
   */
  List<O> run(List<I> inputs) throws Exception;
}
