package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.deployment;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.registry.repository.DeploymentEntity;
import dev.infermint.registry.repository.DeploymentRepository;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/** How one owner's model is served: replicas, device and the batcher's settings. */
@ApplicationScoped
public class Deployments {

  @Inject
  ModelLookup lookup;

  @Inject
  DeploymentRepository deployments;

  @Inject
  ModelAliasRepository aliases;

  @Inject
  ModelVersionRepository versions;

  @Inject
  AuditOutbox audit;

  @Inject
  RegistryEvents events;

  /**
   * Stores a model's serving settings.
   *
   * @param owner the owner
   * @param name the model name
   * @param settings the settings, already range-checked
   * @return the stored settings
   * @throws dev.infermint.problem.ProblemException 404 for the model
   */
  public DeploymentSettings setDeployment(String owner, String name, DeploymentSettings settings) {
    return QuarkusTransaction.requiringNew().call(() -> {
      // Locked as a version delete locks it: the delete sees the serving version this sets.
      ModelEntity m = lookup.ownedForUpdate(owner, name);
      DeploymentEntity d = deployments.findById(m.id);
      if (d == null) {
        d = new DeploymentEntity();
        d.modelId = m.id;
      }
      d.replicas = settings.replicas();
      d.device = settings.device();
      d.maxBatchSize = settings.maxBatchSize();
      d.maxQueueDelayMs = settings.maxQueueDelayMs();
      d.instances = settings.instances();
      if (d.replicas == 0) {
        // Undeployed at once (the placer removes the replicas): its versions can be deleted right away.
        d.servingVersion = null;
      } else if (d.servingVersion == null) {
        // Serving from now on, before the placer's first run: what a call without a version would run anyway.
        d.servingVersion = aliases.findAlias(m.id, Owners.PRODUCTION).map(a -> a.version)
            .or(() -> versions.findNewest(m.id).map(v -> v.version)).orElse(null);
        if (d.servingVersion != null) {
          events.record(RegistryEvents.SERVING_CHANGED, owner, m.name, d.servingVersion, null,
              Map.of("to", d.servingVersion));
        }
      }
      d.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
      deployments.persist(d);
      Map<String, Object> changed = new LinkedHashMap<>(Map.of("replicas", d.replicas, "device", d.device,
          "maxBatchSize", d.maxBatchSize, "maxQueueDelayMs", d.maxQueueDelayMs));
      if (d.instances != null) {
        changed.put("instances", d.instances);
      }
      audit.record(owner, AuditOutbox.DEPLOYMENT_CHANGED, "model/" + m.name + "/deployment", changed);
      events.record(RegistryEvents.DEPLOYMENT_CHANGED, owner, m.name, null, null, changed);
      return deployment(d);
    });
  }
}
