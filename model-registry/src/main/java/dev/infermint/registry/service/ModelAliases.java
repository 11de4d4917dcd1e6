package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.aliasTarget;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.Problems;
import dev.infermint.registry.repository.ModelAliasEntity;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/** Aliases ({@code production}, {@code staging}...) of one owner's model, MLflow-style: a name for a version. */
@ApplicationScoped
public class ModelAliases {

  private static final Pattern ALIAS = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");

  @Inject
  ModelLookup lookup;

  @Inject
  ModelVersionRepository versions;

  @Inject
  ModelAliasRepository aliases;

  @Inject
  AuditOutbox audit;

  @Inject
  RegistryEvents events;

  /**
   * Points an alias at a version.
   *
   * @param owner the owner
   * @param name the model name
   * @param alias the alias name
   * @param version the version to point at
   * @throws dev.infermint.problem.ProblemException 422 naming {@code alias} or {@code version}; 404 for the model
   */
  public void setAlias(String owner, String name, String alias, Integer version) {
    if (alias == null || !ALIAS.matcher(alias).matches()) {
      throw Problems.validation("alias", "must match ^[a-z][a-z0-9-]{0,31}$ (got '" + alias + "')");
    }
    QuarkusTransaction.requiringNew().run(() -> {
      // Locked: a concurrent delete of the version checks its aliases under the same lock (ModelVersions).
      ModelEntity m = lookup.ownedForUpdate(owner, name);
      if (version == null) {
        throw Problems.validation("version", "is required");
      }
      if (versions.findVersion(m.id, version).isEmpty()) {
        throw Problems.validation("version", "model '" + name + "' has no version " + version);
      }
      ModelAliasEntity a = aliases.findAlias(m.id, alias).orElseGet(() -> {
        ModelAliasEntity created = new ModelAliasEntity();
        created.modelId = m.id;
        created.alias = alias;
        return created;
      });
      Integer previous = a.version;
      a.version = version;
      a.updatedAt = Instant.now();
      aliases.persist(a);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("version", version);
      if (previous != null) {
        details.put("previousVersion", previous);
      }
      audit.record(owner, AuditOutbox.ALIAS_SET, aliasTarget(m.name, alias), details);
      events.record(RegistryEvents.ALIAS_SET, owner, m.name, version, null, Map.of("alias", alias));
    });
  }

  /**
   * Removes an alias.
   *
   * @param owner the owner
   * @param name the model name
   * @param alias the alias name
   * @throws dev.infermint.problem.ProblemException 404 when the model or alias does not exist
   */
  public void deleteAlias(String owner, String name, String alias) {
    QuarkusTransaction.requiringNew().run(() -> {
      ModelEntity m = lookup.owned(owner, name);
      ModelAliasEntity a = aliases.findAlias(m.id, alias)
          .orElseThrow(() -> Problems.notFound("alias", name + "/" + alias));
      aliases.delete(a);
      audit.record(owner, AuditOutbox.ALIAS_DELETED, aliasTarget(m.name, alias), Map.of("version", a.version));
      events.record(RegistryEvents.ALIAS_DELETED, owner, m.name, a.version, null, Map.of("alias", alias));
    });
  }
}
