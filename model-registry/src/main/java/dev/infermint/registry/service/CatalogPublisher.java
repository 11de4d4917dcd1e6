package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.requireName;
import static dev.infermint.registry.service.ModelRecords.versionInfo;
import static dev.infermint.registry.service.ModelRecords.versionNumber;
import static dev.infermint.registry.service.ModelRecords.versionTarget;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.Problems;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/**
 * Publishes a tenant's version to the public catalog: a new version of the public model of that name (created on its
 * first publication) that shares the tenant version's files by digest, so nothing is copied and the bytes stay until
 * no version of any owner uses them. The published version is the catalog's own from then on: the tenant deleting
 * or changing its version changes nothing there.
 *
 * <p>Ordering: the tenant's model row is locked first (as its deletes and alias moves lock it, so the version cannot
 * disappear mid-way), then the public model's row (as uploads to it lock it, so version numbers stay distinct).
 */
@ApplicationScoped
public class CatalogPublisher {

  private static final Logger LOG = Logger.getLogger(CatalogPublisher.class);

  @Inject
  ModelLookup lookup;

  @Inject
  ModelRepository models;

  @Inject
  ModelVersionRepository versions;

  @Inject
  AuditOutbox audit;

  /**
   * @param tenantId the tenant whose version is published
   * @param name its model name
   * @param version its version as given in the path
   * @param publicName the catalog model to add the version to, null for the same name
   * @return the new public version
   * @throws dev.infermint.problem.ProblemException 422 naming {@code tenantId} or {@code name}; 404 when the tenant
   *     has no such model or version
   */
  public ModelVersionInfo publish(String tenantId, String name, String version, String publicName) {
    if (tenantId == null || tenantId.isBlank()) {
      throw Problems.validation("tenantId", "is required: the tenant whose version is published");
    }
    if (Owners.PUBLIC.equals(tenantId)) {
      throw Problems.validation("tenantId", "names the public catalog itself; publish a tenant's version");
    }
    String target = publicName == null ? name : publicName;
    requireName(target, "name");
    int number = versionNumber(name, version);
    ModelVersionInfo published = QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity source = lookup.ownedForUpdate(tenantId, name);
      ModelVersionEntity v = versions.findVersion(source.id, number)
          .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      ModelEntity m = models.lockOrCreate(Owners.PUBLIC, target, v.task, now);
      m.lastVersion += 1;
      m.task = v.task;
      ModelVersionEntity copy = new ModelVersionEntity();
      copy.modelId = m.id;
      copy.version = m.lastVersion;
      copy.task = v.task;
      copy.digest = v.digest;
      copy.sizeBytes = v.sizeBytes;
      copy.opset = v.opset;
      copy.inputs = v.inputs;
      copy.outputs = v.outputs;
      copy.tokenizerDigest = v.tokenizerDigest;
      copy.labels = v.labels;
      copy.description = v.description;
      copy.tags = new LinkedHashMap<>(v.tags);
      copy.createdAt = now;
      versions.persist(copy);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("publicModel", m.name);
      details.put("publicVersion", copy.version);
      details.put("digest", copy.digest);
      audit.record(tenantId, AuditOutbox.VERSION_PUBLISHED, versionTarget(source.name, number), details);
      return versionInfo(m, copy);
    });
    LOG.infof("Published %s/%s version %d as public %s version %d (%s)", tenantId, name, number, published.name(),
        published.version(), published.digest());
    return published;
  }
}
