package dev.infermint.registry.service;

import java.time.Instant;

/**
 * How a model should be served.
 *
 * @param replicas worker replicas, 0 to 16
 * @param device {@code cpu} or {@code gpu}
 * @param maxBatchSize largest batch, 1 to 1024
 * @param maxQueueDelayMs longest wait for a batch to fill, 0 to 10000 ms
 * @param instances batches of the model one worker runs at the same time, 1 to 16; null for the worker's default
 * @param updatedAt when the settings last changed (null on input)
 */
public record DeploymentSettings(int replicas, String device, int maxBatchSize, int maxQueueDelayMs,
    Integer instances, Instant updatedAt) {
}
