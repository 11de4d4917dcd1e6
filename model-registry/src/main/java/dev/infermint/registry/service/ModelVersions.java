package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.versionNumber;
import static dev.infermint.registry.service.ModelRecords.versionTarget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.registry.repository.DeploymentEntity;
import dev.infermint.registry.repository.DeploymentRepository;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;
import dev.infermint.registry.repository.PlacementRepository;

/** Changes to stored versions of one owner's model. */
@ApplicationScoped
public class ModelVersions {

  private static final Logger LOG = Logger.getLogger(ModelVersions.class);

  @Inject
  ModelLookup lookup;

  @Inject
  BlobPublisher publisher;

  @Inject
  ModelVersionRepository versions;

  @Inject
  ModelAliasRepository aliases;

  @Inject
  AuditOutbox audit;

  @Inject
  DeploymentRepository deployments;

  @Inject
  PlacementRepository placements;

  @Inject
  RegistryEvents events;

  /**
   * Deletes a version nothing uses any more ({@link #requireUnused}), and its files when no other version (of any
   * owner: a published copy shares them) uses them.
   *
   * @param owner the owner (a write never falls back to the catalog)
   * @param name the model name
   * @param version the version as given in the path
   * @throws dev.infermint.problem.ProblemException 404 when the model or version does not exist; 409
   *     {@code version_in_use} when something still points at it
   */
  public void deleteVersion(String owner, String name, String version) {
    int number = versionNumber(name, version);
    List<String> digests = QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = lookup.ownedForUpdate(owner, name);
      ModelVersionEntity v = versions.findVersion(m.id, number)
          .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
      requireUnused(m, number);
      versions.delete(v);
      audit.record(owner, AuditOutbox.VERSION_DELETED, versionTarget(m.name, number), Map.of("digest", v.digest));
      events.record(RegistryEvents.VERSION_DELETED, owner, m.name, number, null, Map.of("digest", v.digest));
      List<String> files = new ArrayList<>();
      files.add(v.digest);
      if (v.tokenizerDigest != null) {
        files.add(v.tokenizerDigest);
      }
      return files;
    });
    for (String digest : digests) {
      try {
        publisher.deleteIfUnreferenced(digest);
      } catch (RuntimeException e) {
        // The version is gone already; an orphaned file only wastes disk, so do not fail the request.
        LOG.warnf(e, "Could not delete the file %s of %s/%s version %s", digest, owner, name, version);
      }
    }
    LOG.infof("Deleted model %s/%s version %s", owner, name, version);
  }

  /**
   * Fails when anything still points at a version, so that deleting it would break what uses it: its aliases, and a
   * deployment that serves it or has it placed on workers (a rollout's old or new version). Call inside the deleting
   * transaction, with the model's row locked ({@link ModelLookup#ownedForUpdate}), which is also what moving an alias
   * locks, so nothing can start pointing at the version between this check and the delete.
   *
   * @param model the model, locked
   * @param version the version number
   * @throws dev.infermint.problem.ProblemException 409 {@code version_in_use} naming every alias that points at it
   */
  void requireUnused(ModelEntity model, int version) {
    Map<String, List<String>> users = new LinkedHashMap<>();
    List<String> pointing = aliases.namesForVersion(model.id, version);
    if (!pointing.isEmpty()) {
      users.put("aliases", pointing);
    }
    DeploymentEntity d = deployments.findById(model.id);
    List<String> deployment = new ArrayList<>();
    if (d != null && d.servingVersion != null && d.servingVersion == version) {
      deployment.add("serving version");
    }
    if (placements.isPlaced(model.id, version)) {
      deployment.add("placed on workers");
    }
    if (!deployment.isEmpty()) {
      users.put("deployment", deployment);
    }
    if (!users.isEmpty()) {
      throw RegistryProblems.versionInUse(model.name, version, users);
    }
  }
}
