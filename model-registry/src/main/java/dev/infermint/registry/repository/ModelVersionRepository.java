package dev.infermint.registry.repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/** Versions of models. */
@ApplicationScoped
public class ModelVersionRepository implements PanacheRepository<ModelVersionEntity> {

  /**
   * @param modelId the model
   * @param version the version number
   * @return that version, if it exists
   */
  public Optional<ModelVersionEntity> findVersion(long modelId, int version) {
    return find("modelId = ?1 and version = ?2", modelId, version).firstResultOptional();
  }

  /**
   * @param modelId the model
   * @return the highest-numbered version, if any
   */
  public Optional<ModelVersionEntity> findNewest(long modelId) {
    return find("modelId = ?1 order by version desc", modelId).firstResultOptional();
  }

  /**
   * @param modelIds models
   * @return their versions, oldest first
   */
  public List<ModelVersionEntity> listByModels(Collection<Long> modelIds) {
    if (modelIds.isEmpty()) {
      return List.of();
    }
    return list("modelId in ?1 order by modelId, version", modelIds);
  }

  /**
   * @param digest a {@code sha256:<hex>} digest
   * @return how many versions use it as model file or tokenizer
   */
  public long countReferences(String digest) {
    return count("digest = ?1 or tokenizerDigest = ?1", digest);
  }
}
