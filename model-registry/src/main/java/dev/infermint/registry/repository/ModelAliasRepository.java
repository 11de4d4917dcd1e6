package dev.infermint.registry.repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Aliases of model versions. */
@ApplicationScoped
public class ModelAliasRepository implements PanacheRepositoryBase<ModelAliasEntity, ModelAliasEntity.Key> {

  /**
   * @param modelId the model
   * @param alias the alias name
   * @return the alias, if set
   */
  public Optional<ModelAliasEntity> findAlias(long modelId, String alias) {
    return find("modelId = ?1 and alias = ?2", modelId, alias).firstResultOptional();
  }

  /**
   * @param modelIds models
   * @return their aliases, by name
   */
  public List<ModelAliasEntity> listByModels(Collection<Long> modelIds) {
    if (modelIds.isEmpty()) {
      return List.of();
    }
    return list("modelId in ?1 order by alias", modelIds);
  }

  /**
   * @param modelId the model
   * @param version the version
   * @return the names of the aliases that point at it, sorted
   */
  public List<String> namesForVersion(long modelId, int version) {
    return find("modelId = ?1 and version = ?2 order by alias", modelId, version).stream().map(a -> a.alias).toList();
  }
}
