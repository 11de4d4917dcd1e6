package dev.infermint.registry.rest;

import java.time.Instant;

import dev.infermint.registry.service.DeploymentSettings;

/**
 * A model's stored serving settings.
 *
 * @param name the model name
 * @param replicas worker replicas
 * @param device {@code cpu} or {@code gpu}
 * @param maxBatchSize largest batch
 * @param maxQueueDelayMs longest wait for a batch to fill
 * @param instances batches of the model one worker runs at the same time; null for the worker's default
 * @param updatedAt when they last changed
 */
public record DeploymentResponse(String name, int replicas, String device, int maxBatchSize, int maxQueueDelayMs,
    Integer instances, Instant updatedAt) {

  static DeploymentResponse of(String name, DeploymentSettings d) {
    return new DeploymentResponse(name, d.replicas(), d.device(), d.maxBatchSize(), d.maxQueueDelayMs(),
        d.instances(), d.updatedAt());
  }
}
