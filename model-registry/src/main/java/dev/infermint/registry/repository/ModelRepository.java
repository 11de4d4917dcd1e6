package dev.infermint.registry.repository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/** Models by owner and name. */
@ApplicationScoped
public class ModelRepository implements PanacheRepository<ModelEntity> {

  /**
   * @param owner a tenant id or {@code public}
   * @param name the model name
   * @return the model, if that owner has one of that name
   */
  public Optional<ModelEntity> findByOwnerAndName(String owner, String name) {
    return find("owner = ?1 and name = ?2", owner, name).firstResultOptional();
  }

  /**
   * @param owner a tenant id or {@code public}
   * @param name the model name
   * @return the model, its row locked until the transaction ends, if that owner has one of that name
   */
  public Optional<ModelEntity> lockByOwnerAndName(String owner, String name) {
    return find("owner = ?1 and name = ?2", owner, name).withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }

  /**
   * Returns the model, creating it when missing, and locks its row until the transaction ends so that concurrent
   * uploads to one model get distinct version numbers. Creation tolerates a concurrent creator.
   *
   * @param owner a tenant id or {@code public}
   * @param name the model name
   * @param task the task to record when the model is created
   * @param now the creation time
   * @return the locked model
   */
  public ModelEntity lockOrCreate(String owner, String name, String task, Instant now) {
    getEntityManager().createNativeQuery("insert into {h-schema}model (owner, name, task, last_version, created_at) "
        + "values (?1, ?2, ?3, 0, ?4) on conflict (owner, name) do nothing")
        .setParameter(1, owner).setParameter(2, name).setParameter(3, task).setParameter(4, now)
        .executeUpdate();
    return find("owner = ?1 and name = ?2", owner, name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
  }

  /**
   * @param owners the owners to list (a tenant id and {@code public})
   * @return their models, by name then owner
   */
  public List<ModelEntity> listByOwners(Collection<String> owners) {
    return list("owner in ?1 order by name, owner", owners);
  }
}
