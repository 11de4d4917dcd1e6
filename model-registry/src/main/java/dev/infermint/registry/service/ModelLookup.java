package dev.infermint.registry.service;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;

/** Finds a model row for a read (among owners, the first wins) or a write (its owner only). Call inside a transaction. */
@ApplicationScoped
public class ModelLookup {

  @Inject
  ModelRepository models;


  /**
   * @param owners owners in order of preference, e.g. a tenant then {@link Owners#PUBLIC}
   * @param name the model name
   * @return the first owner's model of that name
   * @throws dev.infermint.problem.ProblemException 404 when none of the owners has it
   */
  public ModelEntity findAmong(List<String> owners, String name) {
    for (String owner : owners) {
      Optional<ModelEntity> m = models.findByOwnerAndName(owner, name);
      if (m.isPresent()) {
        return m.get();
      }
    }
    throw RegistryProblems.modelNotFound(name);
  }

  /**
   * @param owner the owner (a write never falls back to the catalog)
   * @param name the model name
   * @return that owner's model
   * @throws dev.infermint.problem.ProblemException 404 when it has none of that name
   */
  public ModelEntity owned(String owner, String name) {
    return models.findByOwnerAndName(owner, name).orElseThrow(() -> RegistryProblems.modelNotFound(name));
  }

  /**
   * As {@link #owned}, with the model's row locked until the transaction ends, so that changes to what points at
   * its versions (aliases, deletes, publishing) happen one after the other.
   *
   * @param owner the owner
   * @param name the model name
   * @return that owner's model, locked
   * @throws dev.infermint.problem.ProblemException 404 when it has none of that name
   */
  public ModelEntity ownedForUpdate(String owner, String name) {
    return models.lockByOwnerAndName(owner, name).orElseThrow(() -> RegistryProblems.modelNotFound(name));
  }
}
