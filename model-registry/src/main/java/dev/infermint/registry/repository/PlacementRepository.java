package dev.infermint.registry.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Placements of model versions on workers. */
@ApplicationScoped
public class PlacementRepository implements PanacheRepositoryBase<PlacementEntity, PlacementEntity.Key> {

  /**
   * @param modelId a model
   * @return its placements, by version then worker
   */
  public List<PlacementEntity> listByModel(long modelId) {
    return list("modelId = ?1 order by version, workerId", modelId);
  }

  /**
   * @param workerId a worker
   * @return what is assigned to it
   */
  public List<PlacementEntity> listByWorker(String workerId) {
    return list("workerId = ?1 order by modelId, version", workerId);
  }

  /**
   * @param modelId a model
   * @param version one of its versions
   * @return whether any worker holds or loads that version
   */
  public boolean isPlaced(long modelId, int version) {
    return count("modelId = ?1 and version = ?2", modelId, version) > 0;
  }
}
