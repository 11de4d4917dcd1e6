package dev.infermint.worker.service;

/**
 * A response body with what the gateway meters for it.
 *
 * @param body the response body
 * @param units billable units: tokens for embeddings, batch rows for OIP
 * @param computeMs milliseconds spent computing (tokenising and ONNX Runtime), rounded up
 * @param <T> the body type
 */
public record Metered<T>(T body, long units, long computeMs) {

  /**
   * @param body the response body
   * @param units billable units
   * @param startNanos {@link System#nanoTime()} when computing began
   * @param <T> the body type
   * @return the metered body, with the time elapsed since {@code startNanos}
   */
  public static <T> Metered<T> since(T body, long units, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    return new Metered<>(body, units, (nanos + 999_999) / 1_000_000);
  }
}
