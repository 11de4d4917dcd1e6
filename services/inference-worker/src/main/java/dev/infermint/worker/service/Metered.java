package dev.infermint.worker.service;

/**
 * A response body with what the gateway meters for it.
 *
 * @param body the response body
 * @param model the name of the model that ran, as the registry resolved it
 * @param version the version that ran
 * @param units billable units: prompt tokens for embeddings, the shared batch size for OIP
 * @param computeMs milliseconds spent computing (tokenising and ONNX Runtime), rounded up
 * @param <T> the body type
 */
public record Metered<T>(T body, String model, String version, long units, long computeMs) {

  /**
   * @param body the response body
   * @param ran the model version that ran
   * @param units billable units
   * @param startNanos {@link System#nanoTime()} when computing began
   * @param <T> the body type
   * @return the metered body, with the time elapsed since {@code startNanos}
   */
  public static <T> Metered<T> since(T body, ResolvedModel ran, long units, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    return new Metered<>(body, ran.name(), ran.version(), units, (nanos + 999_999) / 1_000_000);
  }
}
