package dev.infermint.registry.rest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.infermint.registry.placement.PlacementViews;
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
 * @param status where it runs now (placement, serving version, rollout), only in {@code GET .../deployment}
 */
public record DeploymentResponse(String name, int replicas, String device, int maxBatchSize, int maxQueueDelayMs,
    Integer instances, Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) PlacementViews.Status status) {

  static DeploymentResponse of(String name, DeploymentSettings d) {
    return of(name, d, null);
  }

  static DeploymentResponse of(String name, DeploymentSettings d, PlacementViews.Status status) {
    return new DeploymentResponse(name, d.replicas(), d.device(), d.maxBatchSize(), d.maxQueueDelayMs(),
        d.instances(), d.updatedAt(), status);
  }
}
