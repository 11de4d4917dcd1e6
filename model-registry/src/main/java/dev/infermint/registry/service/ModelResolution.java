package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.versionInfo;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.Problems;
import dev.infermint.registry.repository.DeploymentRepository;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/** What inference runs: a name (and optional version or alias) resolved for a tenant, and what a tenant can run. */
@ApplicationScoped
public class ModelResolution {

  @Inject
  ModelQueries queries;

  @Inject
  ModelRepository models;

  @Inject
  ModelVersionRepository versions;

  @Inject
  ModelAliasRepository aliases;

  @Inject
  DeploymentRepository deployments;

  /**
   * Resolves what inference should run: the tenant's model of that name if it has any version, else the public
   * catalog's; then the named version (a number or an alias), else the {@code production} alias, else the newest.
   * A deployed model answers its serving version for no version and for {@code production}: during a rollout that
   * is still the old version, until the new one is ready on its replicas ({@code Placer}).
   *
   * @param tenant the caller's tenant id, null or blank for the public catalog only
   * @param name the model name
   * @param version a version number or alias name, null or blank for the default
   * @return the version to run
   * @throws dev.infermint.problem.ProblemException 404 when nothing matches
   */
  public ModelVersionInfo resolve(String tenant, String name, String version) {
    if (name == null || name.isBlank()) {
      throw Problems.validation("model", "is required");
    }
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = null;
      for (String owner : Owners.visibleOwners(tenant)) {
        Optional<ModelEntity> candidate = models.findByOwnerAndName(owner, name);
        if (candidate.isPresent() && versions.findNewest(candidate.get().id).isPresent()) {
          m = candidate.get();
          break;
        }
      }
      if (m == null) {
        throw RegistryProblems.modelNotFound(name);
      }
      ModelEntity model = m;
      Optional<ModelVersionEntity> v;
      Integer serving = Optional.ofNullable(deployments.findById(model.id)).map(d -> d.servingVersion).orElse(null);
      boolean byDefault = version == null || version.isBlank() || version.equals(Owners.PRODUCTION)
          && aliases.findAlias(model.id, Owners.PRODUCTION).isPresent();
      if (byDefault && serving != null && versions.findVersion(model.id, serving).isPresent()) {
        // A deployed model runs its serving version until a rollout has the new one ready on its replicas.
        v = versions.findVersion(model.id, serving);
      } else if (version == null || version.isBlank()) {
        v = aliases.findAlias(model.id, Owners.PRODUCTION).flatMap(a -> versions.findVersion(model.id, a.version))
            .or(() -> versions.findNewest(model.id));
      } else if (version.chars().allMatch(Character::isDigit) && version.length() <= 9) {
        v = versions.findVersion(model.id, Integer.parseInt(version));
      } else {
        v = aliases.findAlias(model.id, version).flatMap(a -> versions.findVersion(model.id, a.version));
      }
      return v.map(found -> versionInfo(model, found))
          .orElseThrow(() -> RegistryProblems.versionNotFound(name, version == null ? "" : version));
    });
  }

  /**
   * The deployment of the model a resolution picked, for the workers.
   *
   * @param resolved a version {@link #resolve} returned
   * @return its model's serving settings, empty when none were set
   */
  public Optional<DeploymentSettings> deploymentOf(ModelVersionInfo resolved) {
    return QuarkusTransaction.requiringNew().call(() -> models.findByOwnerAndName(resolved.owner(), resolved.name())
        .map(m -> deployments.findById(m.id)).map(ModelRecords::deployment));
  }

  /**
   * Models a tenant can run: its own with at least one version, and the public catalog's whose names it does not
   * shadow.
   *
   * @param tenant the tenant id, null or blank for the public catalog only
   * @return the models, by name
   */
  public List<ModelInfo> listServable(String tenant) {
    List<ModelInfo> servable = queries.list(Owners.visibleOwners(tenant)).stream()
        .filter(m -> m.latestVersion() != null).toList();
    Set<String> own = servable.stream().filter(m -> !Owners.PUBLIC.equals(m.owner())).map(ModelInfo::name)
        .collect(Collectors.toSet());
    return servable.stream().filter(m -> !Owners.PUBLIC.equals(m.owner()) || !own.contains(m.name())).toList();
  }
}
