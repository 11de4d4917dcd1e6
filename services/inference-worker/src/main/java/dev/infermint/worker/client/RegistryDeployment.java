package dev.infermint.worker.client;

/**
 * A model's deployment as the registry resolves it with the model ({@code deployment} of
 * {@code GET /internal/models/resolve}); null when the model has none.
 *
 * @param replicas worker replicas wanted
 * @param device {@code cpu} or {@code gpu}
 * @param maxBatchSize largest batch the worker forms
 * @param maxQueueDelayMs longest wait for a batch to fill
 * @param instances batches of the model that run at the same time on one worker, null for the worker's default
 */
public record RegistryDeployment(Integer replicas, String device, Integer maxBatchSize, Integer maxQueueDelayMs,
    Integer instances) {
}
