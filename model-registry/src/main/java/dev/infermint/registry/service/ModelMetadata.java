package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.versionInfo;
import static dev.infermint.registry.service.ModelRecords.versionNumber;
import static dev.infermint.registry.service.ModelRecords.versionTarget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/**
 * The editable metadata of one owner's models and versions: description and tags (MLflow's registered-model and
 * model-version tags). A change that changes something is audited ({@code model.updated},
 * {@code model.version_updated}) with the fields it changed.
 */
@ApplicationScoped
public class ModelMetadata {

  @Inject
  ModelLookup lookup;

  @Inject
  ModelQueries queries;

  @Inject
  ModelVersionRepository versions;

  @Inject
  AuditOutbox audit;

  /**
   * Changes a model's description and tags.
   *
   * @param owner the owner (a write never falls back to the catalog)
   * @param name the model name
   * @param patch the change
   * @return the model as it is now
   * @throws dev.infermint.problem.ProblemException 404 for the model; 422 naming {@code tags} when too many remain
   */
  public ModelInfo updateModel(String owner, String name, MetadataPatch patch) {
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = lookup.ownedForUpdate(owner, name);
      Map<String, Object> changed = changes(m.description, m.tags, patch);
      if (patch.setsDescription()) {
        m.description = patch.description();
      }
      m.tags = patch.mergeTags(m.tags);
      if (!changed.isEmpty()) {
        audit.record(owner, AuditOutbox.MODEL_UPDATED, "model/" + m.name, changed);
      }
      return queries.detail(m);
    });
  }

  /**
   * Changes a version's description and tags; its file, signature and digest never change.
   *
   * @param owner the owner
   * @param name the model name
   * @param version the version number as given in the path
   * @param patch the change
   * @return the version as it is now
   * @throws dev.infermint.problem.ProblemException 404 for the model or version; 422 naming {@code tags}
   */
  public ModelVersionInfo updateVersion(String owner, String name, String version, MetadataPatch patch) {
    int number = versionNumber(name, version);
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = lookup.ownedForUpdate(owner, name);
      ModelVersionEntity v = versions.findVersion(m.id, number)
          .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
      Map<String, Object> changed = changes(v.description, v.tags, patch);
      if (patch.setsDescription()) {
        v.description = patch.description();
      }
      v.tags = patch.mergeTags(v.tags);
      if (!changed.isEmpty()) {
        audit.record(owner, AuditOutbox.VERSION_UPDATED, versionTarget(m.name, number), changed);
      }
      return versionInfo(m, v);
    });
  }

  /** What the patch really changes: {@code description}, {@code tagsSet} and {@code tagsRemoved}. */
  private static Map<String, Object> changes(String description, Map<String, String> tags, MetadataPatch patch) {
    Map<String, Object> changed = new LinkedHashMap<>();
    if (patch.setsDescription() && !Objects.equals(description, patch.description())) {
      changed.put("description", patch.description());
    }
    Map<String, String> set = new LinkedHashMap<>();
    List<String> removed = new ArrayList<>();
    patch.tags().forEach((key, value) -> {
      if (value == null && tags.containsKey(key)) {
        removed.add(key);
      } else if (value != null && !value.equals(tags.get(key))) {
        set.put(key, value);
      }
    });
    if (!set.isEmpty()) {
      changed.put("tagsSet", set);
    }
    if (!removed.isEmpty()) {
      changed.put("tagsRemoved", removed);
    }
    return changed;
  }
}
