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
import dev.infermint.registry.repository.ModelEntity;

/** How one owner's model is served: replicas, device and the batcher's settings. */
@ApplicationScoped
public class Deployments {

  @Inject
  ModelLookup lookup;

  @Inject
  DeploymentRepository deployments;

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
      ModelEntity m = lookup.owned(owner, name);
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
