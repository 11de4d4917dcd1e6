package dev.infermint.worker.service;

import java.util.Optional;

/**
 * How the registry says one model is to be served (its deployment, {@code PUT /api/v1/models/{m}/deployment}); an
 * unset item takes the worker's default ({@code infermint.worker.device}, {@code infermint.worker.batching.*}).
 *
 * @param device {@code cpu} or {@code gpu}, or null for the worker's device
 * @param maxBatchSize the most rows one merged batch holds, or null
 * @param maxQueueDelayMs how long the oldest request waits for others to join its batch, or null
 * @param instances batches of the model that run at the same time, or null
 */
public record Deployment(String device, Integer maxBatchSize, Integer maxQueueDelayMs, Integer instances) {

  /** No deployment: every item is the worker's default. */
  public static final Deployment DEFAULTS = new Deployment(null, null, null, null);

  /** @return the device, when the deployment names one */
  public Optional<String> deviceName() {
    return Optional.ofNullable(device);
  }
}
