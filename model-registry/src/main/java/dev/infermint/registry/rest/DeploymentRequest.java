package dev.infermint.registry.rest;

import dev.infermint.problem.Problems;
import dev.infermint.registry.service.DeploymentSettings;

/**
 * Body of {@code PUT /api/v1/models/{model}/deployment}; every field is required but {@code instances}, which a
 * PUT without it leaves to the worker's default ({@code infermint.worker.batching.instances}).
 *
 * @param replicas worker replicas, 0 to 16
 * @param device {@code cpu} or {@code gpu}
 * @param maxBatchSize largest batch the worker forms, 1 to 1024
 * @param maxQueueDelayMs longest wait for a batch to fill, 0 to 10000 ms
 * @param instances batches of the model one worker runs at the same time, 1 to {@value #MAX_INSTANCES}, or null
 */
public record DeploymentRequest(Integer replicas, String device, Integer maxBatchSize, Integer maxQueueDelayMs,
    Integer instances) {

  /** The most batch instances of one model per worker: each holds a device turn and its batch's tensors. */
  public static final int MAX_INSTANCES = 16;

  /**
   * @return the settings
   * @throws dev.infermint.problem.ProblemException 422 naming the first field that is missing or out of range
   */
  DeploymentSettings validate() {
    range("replicas", replicas, 0, 16);
    if (device == null || !(device.equals("cpu") || device.equals("gpu"))) {
      throw Problems.validation("device", "must be \"cpu\" or \"gpu\" (got " + (device == null ? "nothing" : "'"
          + device + "'") + ")");
    }
    range("maxBatchSize", maxBatchSize, 1, 1024);
    range("maxQueueDelayMs", maxQueueDelayMs, 0, 10_000);
    if (instances != null) {
      range("instances", instances, 1, MAX_INSTANCES);
    }
    return new DeploymentSettings(replicas, device, maxBatchSize, maxQueueDelayMs, instances, null);
  }

  private static void range(String field, Integer value, int min, int max) {
    if (value == null) {
      throw Problems.validation(field, "is required (" + min + " to " + max + ")");
    }
    if (value < min || value > max) {
      throw Problems.validation(field, "must be between " + min + " and " + max + " (got " + value + ")");
    }
  }
}
