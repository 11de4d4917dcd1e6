package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.deployment;
import static dev.infermint.registry.service.ModelRecords.modelInfo;
import static dev.infermint.registry.service.ModelRecords.versionInfo;
import static dev.infermint.registry.service.ModelRecords.versionNumber;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.registry.repository.DeploymentEntity;
import dev.infermint.registry.repository.DeploymentRepository;
import dev.infermint.registry.repository.ModelAliasEntity;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/** Reads of models, versions, aliases and deployments for the management API and the catalog. */
@ApplicationScoped
public class ModelQueries {

  @Inject
  ModelLookup lookup;

  @Inject
  ModelRepository models;

  @Inject
  ModelVersionRepository versions;

  @Inject
  ModelAliasRepository aliases;

  @Inject
  DeploymentRepository deployments;

  /**
   * @param owners owners whose models to list, e.g. a tenant and {@link #PUBLIC}
   * @return their models with versions and aliases, by name then owner
   */
  public List<ModelInfo> list(List<String> owners) {
    return QuarkusTransaction.requiringNew().call(() -> {
      List<ModelEntity> found = models.listByOwners(owners);
      List<Long> ids = found.stream().map(m -> m.id).toList();
      Map<Long, List<ModelVersionEntity>> byModel = versions.listByModels(ids).stream()
          .collect(Collectors.groupingBy(v -> v.modelId));
      Map<Long, List<ModelAliasEntity>> aliasesByModel = aliases.listByModels(ids).stream()
          .collect(Collectors.groupingBy(a -> a.modelId));
      List<ModelInfo> out = new ArrayList<>();
      for (ModelEntity m : found) {
        out.add(modelInfo(m, byModel.getOrDefault(m.id, List.of()), aliasesByModel.getOrDefault(m.id, List.of()),
            null));
      }
      return out;
    });
  }

  /**
   * Finds a model among the given owners, the first owner that has one of that name winning.
   *
   * @param owners owners in order of preference, e.g. a tenant then {@link #PUBLIC}
   * @param name the model name
   * @return the model with versions, aliases and deployment
   * @throws dev.infermint.problem.ProblemException 404 when none of the owners has it
   */
  public ModelInfo get(List<String> owners, String name) {
    return QuarkusTransaction.requiringNew().call(() -> detail(lookup.findAmong(owners, name)));
  }

  /**
   * @param m a model row, inside the caller's transaction
   * @return the model with versions, aliases and deployment, as a single-model read answers it
   */
  ModelInfo detail(ModelEntity m) {
    List<Long> id = List.of(m.id);
    DeploymentEntity d = deployments.findById(m.id);
    return modelInfo(m, versions.listByModels(id), aliases.listByModels(id), d == null ? null : deployment(d));
  }

  /**
   * @param owners owners in order of preference
   * @param name the model name
   * @return every version of the model, oldest first
   * @throws dev.infermint.problem.ProblemException 404 when none of the owners has the model
   */
  public List<ModelVersionInfo> listVersions(List<String> owners, String name) {
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = lookup.findAmong(owners, name);
      return versions.listByModels(List.of(m.id)).stream().map(v -> versionInfo(m, v)).toList();
    });
  }

  /**
   * @param owners owners in order of preference
   * @param name the model name
   * @param version the version number as given in the path
   * @return that version
   * @throws dev.infermint.problem.ProblemException 404 when the model or the version does not exist
   */
  public ModelVersionInfo getVersion(List<String> owners, String name, String version) {
    int number = versionNumber(name, version);
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = lookup.findAmong(owners, name);
      return versions.findVersion(m.id, number).map(v -> versionInfo(m, v))
          .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
    });
  }

  /**
   * @param owner the owner
   * @param name the model name
   * @return whether that owner has at least one version of the model
   */
  public boolean hasVersions(String owner, String name) {
    return QuarkusTransaction.requiringNew().call(() -> models.findByOwnerAndName(owner, name)
        .flatMap(m -> versions.findNewest(m.id)).isPresent());
  }

  /**
   * Digests of every version of a model, for the catalog's repair of missing files.
   *
   * @param owner the owner
   * @param name the model name
   * @return the model and tokenizer digests of its versions
   */
  public Set<String> digests(String owner, String name) {
    return QuarkusTransaction.requiringNew().call(() -> {
      Set<String> out = new LinkedHashSet<>();
      models.findByOwnerAndName(owner, name).ifPresent(m -> versions.listByModels(List.of(m.id)).forEach(v -> {
        out.add(v.digest);
        if (v.tokenizerDigest != null) {
          out.add(v.tokenizerDigest);
        }
      }));
      return out;
    });
  }
}
