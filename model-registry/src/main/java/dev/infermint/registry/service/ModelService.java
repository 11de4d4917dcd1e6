package dev.infermint.registry.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.Problems;
import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.repository.DeploymentEntity;
import dev.infermint.registry.repository.DeploymentRepository;
import dev.infermint.registry.repository.ModelAliasEntity;
import dev.infermint.registry.repository.ModelAliasRepository;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/**
 * Models, versions, aliases and deployments of one owner (a tenant id, or {@link #PUBLIC} for the catalog).
 *
 * <p>Ordering of an upload, so that nothing is ever half-stored: the files are staged in the {@link BlobStore} while
 * hashed; the model file is loaded in ONNX Runtime and the tokenizer parsed; only then are the rows inserted in one
 * transaction; only after it commits are the staged files published under their digests. A refused upload leaves
 * neither a row nor a file. Every write on a tenant's model adds its audit event to the {@link AuditOutbox} in the
 * transaction of the write. Blob publication and blob deletion take a PostgreSQL advisory lock on the digest, so a
 * version being deleted never removes a file that a concurrent upload of the same bytes has just recorded.
 */
@ApplicationScoped
public class ModelService {

  /** Owner of the public catalog, readable by every tenant. */
  public static final String PUBLIC = "public";
  /** The alias inference uses when no version is named. */
  public static final String PRODUCTION = "production";

  private static final Logger LOG = Logger.getLogger(ModelService.class);
  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");
  private static final Pattern ALIAS = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");
  private static final JsonFactory JSON = new JsonFactory();

  @Inject
  RegistryConfig config;

  @Inject
  BlobStore blobs;

  @Inject
  OrtSignatureReader signatures;

  @Inject
  ModelRepository models;

  @Inject
  ModelVersionRepository versions;

  @Inject
  ModelAliasRepository aliases;

  @Inject
  DeploymentRepository deployments;

  @Inject
  AuditOutbox audit;

  // ---------------------------------------------------------------------------------------------------------- upload

  /**
   * Stores a new version of a model, creating the model on its first upload.
   *
   * @param owner the owning tenant id, or {@link #PUBLIC}
   * @param upload the files and settings
   * @return the stored version; empty only when {@link ModelUpload#fromCatalog()} and the model already had one
   * @throws dev.infermint.problem.ProblemException 422 naming {@code model}, {@code task}, {@code tokenizer} or
   *     {@code file} ({@code invalid_model}); 413 when a file is over its limit; 503 when the store fails
   */
  public Optional<ModelVersionInfo> upload(String owner, ModelUpload upload) {
    requireName(upload.name());
    ModelTask task = upload.task() == null || upload.task().isBlank()
        ? QuarkusTransaction.requiringNew().call(() -> models.findByOwnerAndName(owner, upload.name())
            .map(m -> ModelTask.parse(m.task)).orElse(ModelTask.GENERIC))
        : ModelTask.parse(upload.task().strip());
    if (upload.model() == null) {
      throw Problems.validation("file", "is required: the .onnx model as a file part");
    }
    if (task == ModelTask.EMBEDDING && upload.tokenizer() == null) {
      throw Problems.validation("tokenizer", "is required for task embedding: upload the model's tokenizer.json");
    }
    BlobStore.StagedBlob model = null;
    BlobStore.StagedBlob tokenizer = null;
    try {
      model = stage(upload.model(), "file", upload.fromCatalog() ? Long.MAX_VALUE : config.maxModelBytes());
      ModelSignature signature;
      try {
        signature = signatures.read(model.file());
      } catch (InvalidModelException e) {
        throw RegistryProblems.invalidModel(e.getMessage());
      }
      if (upload.tokenizer() != null) {
        tokenizer = stage(upload.tokenizer(), "tokenizer",
            upload.fromCatalog() ? Long.MAX_VALUE : config.maxTokenizerBytes());
        requireJsonObject(tokenizer);
      }
      ModelVersionInfo stored = insert(owner, upload, task, model, tokenizer, signature);
      if (stored == null) {
        return Optional.empty();
      }
      publishOrRollBack(stored, model, tokenizer);
      LOG.infof("Stored model %s/%s version %d (%s, %d bytes)", owner, stored.name(), stored.version(),
          stored.digest(), stored.sizeBytes());
      return Optional.of(stored);
    } catch (IOException e) {
      LOG.errorf(e, "Could not stage an upload of %s/%s", owner, upload.name());
      throw RegistryProblems.storageFailed();
    } finally {
      blobs.discard(model);
      blobs.discard(tokenizer);
    }
  }

  private BlobStore.StagedBlob stage(ModelUpload.Source source, String field, long maxBytes) throws IOException {
    try (InputStream in = source.open()) {
      return blobs.stage(in, maxBytes);
    } catch (BlobStore.BlobTooLargeException e) {
      throw RegistryProblems.tooLarge(field, maxBytes);
    }
  }

  /** A tokenizer.json must be exactly one JSON object; streamed, so a big one costs no heap. */
  private static void requireJsonObject(BlobStore.StagedBlob tokenizer) throws IOException {
    try (JsonParser parser = JSON.createParser(Files.newInputStream(tokenizer.file()))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw Problems.validation("tokenizer", "must be a JSON object (a Hugging Face tokenizer.json)");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw Problems.validation("tokenizer", "has content after the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw Problems.validation("tokenizer", "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private ModelVersionInfo insert(String owner, ModelUpload upload, ModelTask task, BlobStore.StagedBlob model,
      BlobStore.StagedBlob tokenizer, ModelSignature signature) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = models.lockOrCreate(owner, upload.name(), task.apiName(), now);
      if (upload.fromCatalog() && m.lastVersion > 0) {
        return null;
      }
      m.lastVersion += 1;
      m.task = task.apiName();
      ModelVersionEntity v = new ModelVersionEntity();
      v.modelId = m.id;
      v.version = m.lastVersion;
      v.task = task.apiName();
      v.digest = model.digest();
      v.sizeBytes = model.sizeBytes();
      v.opset = signature.opset();
      v.inputs = signature.inputs();
      v.outputs = signature.outputs();
      v.tokenizerDigest = tokenizer == null ? null : tokenizer.digest();
      v.labels = upload.labels();
      v.createdAt = now;
      versions.persist(v);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("task", v.task);
      details.put("digest", v.digest);
      details.put("sizeBytes", v.sizeBytes);
      if (v.tokenizerDigest != null) {
        details.put("tokenizerDigest", v.tokenizerDigest);
      }
      audit.record(owner, AuditOutbox.VERSION_UPLOADED, versionTarget(m.name, v.version), details);
      return versionInfo(m, v);
    });
  }

  /** Publishes after the commit; if the store fails, the rows go again so that no version points at nothing. */
  private void publishOrRollBack(ModelVersionInfo stored, BlobStore.StagedBlob model, BlobStore.StagedBlob tokenizer) {
    try {
      publish(model);
      if (tokenizer != null) {
        publish(tokenizer);
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "Could not publish the files of %s/%s version %d; removing the version", stored.owner(),
          stored.name(), stored.version());
      QuarkusTransaction.requiringNew().run(() -> models.findByOwnerAndName(stored.owner(), stored.name())
          .flatMap(m -> versions.findVersion(m.id, stored.version())).ifPresent(v -> {
            versions.delete(v);
            audit.record(stored.owner(), AuditOutbox.VERSION_DELETED, versionTarget(stored.name(), v.version),
                Map.of("reason", "storage_failed"));
          }));
      throw RegistryProblems.storageFailed();
    }
  }

  private void publish(BlobStore.StagedBlob staged) {
    QuarkusTransaction.requiringNew().run(() -> {
      lockDigest(staged.digest());
      try {
        blobs.publish(staged);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private void lockDigest(String digest) {
    models.getEntityManager()
        .createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) l")
        .setParameter(1, digest).getSingleResult();
  }

  // ----------------------------------------------------------------------------------------------------------- reads

  /**
   * @param owners owners whose models to list, e.g. a tenant and {@link #PUBLIC}
   * @return their models with versions and aliases, by name then owner
   */
  public List<ModelInfo> list(List<String> owners) {
    return QuarkusTransaction.requiringNew().call(() -> {
      List<ModelEntity> found = models.listByOwners(owners);
      List<Long> ids = found.stream().map(m -> m.id).toList();
      Map<Long, List<ModelVersionEntity>> byModel = versions.listByModels(ids).stream()
          .collect(Collectors.groupingBy(v -> v.modelId));
      Map<Long, List<ModelAliasEntity>> aliasesByModel = aliases.listByModels(ids).stream()
          .collect(Collectors.groupingBy(a -> a.modelId));
      List<ModelInfo> out = new ArrayList<>();
      for (ModelEntity m : found) {
        out.add(modelInfo(m, byModel.getOrDefault(m.id, List.of()), aliasesByModel.getOrDefault(m.id, List.of()),
            null));
      }
      return out;
    });
  }

  /**
   * Finds a model among the given owners, the first owner that has one of that name winning.
   *
   * @param owners owners in order of preference, e.g. a tenant then {@link #PUBLIC}
   * @param name the model name
   * @return the model with versions, aliases and deployment
   * @throws dev.infermint.problem.ProblemException 404 when none of the owners has it
   */
  public ModelInfo get(List<String> owners, String name) {
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = findAmong(owners, name);
      List<Long> id = List.of(m.id);
      DeploymentEntity d = deployments.findById(m.id);
      return modelInfo(m, versions.listByModels(id), aliases.listByModels(id), d == null ? null : deployment(d));
    });
  }

  /**
   * @param owners owners in order of preference
   * @param name the model name
   * @return every version of the model, oldest first
   * @throws dev.infermint.problem.ProblemException 404 when none of the owners has the model
   */
  public List<ModelVersionInfo> listVersions(List<String> owners, String name) {
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = findAmong(owners, name);
      return versions.listByModels(List.of(m.id)).stream().map(v -> versionInfo(m, v)).toList();
    });
  }

  /**
   * @param owners owners in order of preference
   * @param name the model name
   * @param version the version number as given in the path
   * @return that version
   * @throws dev.infermint.problem.ProblemException 404 when the model or the version does not exist
   */
  public ModelVersionInfo getVersion(List<String> owners, String name, String version) {
    int number = versionNumber(name, version);
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = findAmong(owners, name);
      return versions.findVersion(m.id, number).map(v -> versionInfo(m, v))
          .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
    });
  }

  /**
   * Resolves what inference should run: the tenant's model of that name if it has any version, else the public
   * catalog's; then the named version (a number or an alias), else the {@code production} alias, else the newest.
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
      for (String owner : visibleOwners(tenant)) {
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
      if (version == null || version.isBlank()) {
        v = aliases.findAlias(model.id, PRODUCTION).flatMap(a -> versions.findVersion(model.id, a.version))
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
        .map(m -> deployments.findById(m.id)).map(ModelService::deployment));
  }

  /**
   * Models a tenant can run: its own with at least one version, and the public catalog's whose names it does not
   * shadow.
   *
   * @param tenant the tenant id, null or blank for the public catalog only
   * @return the models, by name
   */
  public List<ModelInfo> listServable(String tenant) {
    List<ModelInfo> servable = list(visibleOwners(tenant)).stream().filter(m -> m.latestVersion() != null).toList();
    Set<String> own = servable.stream().filter(m -> !PUBLIC.equals(m.owner())).map(ModelInfo::name)
        .collect(Collectors.toSet());
    return servable.stream().filter(m -> !PUBLIC.equals(m.owner()) || !own.contains(m.name())).toList();
  }

  // ---------------------------------------------------------------------------------------------------------- writes

  /**
   * Deletes a version, the aliases that point at it, and its files when no other version uses them.
   *
   * @param owner the owner (a write never falls back to the catalog)
   * @param name the model name
   * @param version the version as given in the path
   * @throws dev.infermint.problem.ProblemException 404 when the model or version does not exist
   */
  public void deleteVersion(String owner, String name, String version) {
    int number = versionNumber(name, version);
    List<String> digests = QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = models.findByOwnerAndName(owner, name).orElseThrow(() -> RegistryProblems.modelNotFound(name));
      ModelVersionEntity v = versions.findVersion(m.id, number)
          .orElseThrow(() -> RegistryProblems.versionNotFound(name, version));
      aliases.deleteForVersion(m.id, number);
      versions.delete(v);
      audit.record(owner, AuditOutbox.VERSION_DELETED, versionTarget(m.name, number), Map.of("digest", v.digest));
      List<String> files = new ArrayList<>();
      files.add(v.digest);
      if (v.tokenizerDigest != null) {
        files.add(v.tokenizerDigest);
      }
      return files;
    });
    for (String digest : digests) {
      try {
        QuarkusTransaction.requiringNew().run(() -> {
          lockDigest(digest);
          if (versions.countReferences(digest) == 0) {
            try {
              blobs.delete(Digests.hexOf(digest));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
      } catch (RuntimeException e) {
        // The version is gone already; an orphaned file only wastes disk, so do not fail the request.
        LOG.warnf(e, "Could not delete the file %s of %s/%s version %s", digest, owner, name, version);
      }
    }
    LOG.infof("Deleted model %s/%s version %s", owner, name, version);
  }

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
      ModelEntity m = models.findByOwnerAndName(owner, name).orElseThrow(() -> RegistryProblems.modelNotFound(name));
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
      ModelEntity m = models.findByOwnerAndName(owner, name).orElseThrow(() -> RegistryProblems.modelNotFound(name));
      ModelAliasEntity a = aliases.findAlias(m.id, alias)
          .orElseThrow(() -> Problems.notFound("alias", name + "/" + alias));
      aliases.delete(a);
      audit.record(owner, AuditOutbox.ALIAS_DELETED, aliasTarget(m.name, alias), Map.of("version", a.version));
    });
  }

  /**
   * Stores a model's serving settings.
   *
   * @param owner the owner
   * @param name the model name
   * @param settings the settings, already range-checked
   * @return the stored settings
   * @throws dev.infermint.problem.ProblemException 404 for the model
   */
  public DeploymentSettings setDeployment(String owner, String name, DeploymentSettings settings) {
    return QuarkusTransaction.requiringNew().call(() -> {
      ModelEntity m = models.findByOwnerAndName(owner, name).orElseThrow(() -> RegistryProblems.modelNotFound(name));
      DeploymentEntity d = deployments.findById(m.id);
      if (d == null) {
        d = new DeploymentEntity();
        d.modelId = m.id;
      }
      d.replicas = settings.replicas();
      d.device = settings.device();
      d.maxBatchSize = settings.maxBatchSize();
      d.maxQueueDelayMs = settings.maxQueueDelayMs();
      d.instances = settings.instances();
      d.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
      deployments.persist(d);
      Map<String, Object> changed = new LinkedHashMap<>(Map.of("replicas", d.replicas, "device", d.device,
          "maxBatchSize", d.maxBatchSize, "maxQueueDelayMs", d.maxQueueDelayMs));
      if (d.instances != null) {
        changed.put("instances", d.instances);
      }
      audit.record(owner, AuditOutbox.DEPLOYMENT_CHANGED, "model/" + m.name + "/deployment", changed);
      return deployment(d);
    });
  }

  /**
   * @param owner the owner
   * @param name the model name
   * @return whether that owner has at least one version of the model
   */
  public boolean hasVersions(String owner, String name) {
    return QuarkusTransaction.requiringNew().call(() -> models.findByOwnerAndName(owner, name)
        .flatMap(m -> versions.findNewest(m.id)).isPresent());
  }

  /**
   * Digests of every version of a model, for the catalog's repair of missing files.
   *
   * @param owner the owner
   * @param name the model name
   * @return the model and tokenizer digests of its versions
   */
  public Set<String> digests(String owner, String name) {
    return QuarkusTransaction.requiringNew().call(() -> {
      Set<String> out = new LinkedHashSet<>();
      models.findByOwnerAndName(owner, name).ifPresent(m -> versions.listByModels(List.of(m.id)).forEach(v -> {
        out.add(v.digest);
        if (v.tokenizerDigest != null) {
          out.add(v.tokenizerDigest);
        }
      }));
      return out;
    });
  }

  /**
   * Puts back a file whose row exists but whose blob went missing (a wiped data folder), when the bytes match.
   *
   * @param digest the recorded digest
   * @param source the bytes that should have it
   * @return whether the file was restored
   * @throws IOException when the bytes cannot be read or stored
   */
  public boolean restoreBlob(String digest, ModelUpload.Source source) throws IOException {
    String hex = Digests.hexOf(digest);
    if (blobs.find(hex).isPresent()) {
      return false;
    }
    BlobStore.StagedBlob staged = null;
    try (InputStream in = source.open()) {
      staged = blobs.stage(in, Long.MAX_VALUE);
      if (!staged.hex().equals(hex)) {
        return false;
      }
      publish(staged);
      return true;
    } finally {
      blobs.discard(staged);
    }
  }

  // --------------------------------------------------------------------------------------------------------- helpers

  /**
   * @param tenant a tenant id, may be null or blank
   * @return the owners a tenant sees, its own first
   */
  public static List<String> visibleOwners(String tenant) {
    return tenant == null || tenant.isBlank() || tenant.equals(PUBLIC) ? List.of(PUBLIC) : List.of(tenant, PUBLIC);
  }

  private static String versionTarget(String name, int version) {
    return "model/" + name + "/versions/" + version;
  }

  private static String aliasTarget(String name, String alias) {
    return "model/" + name + "/aliases/" + alias;
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw Problems.validation("model", "the name must match ^[a-z0-9][a-z0-9._-]{0,62}$ (got '" + name + "')");
    }
  }

  private static int versionNumber(String name, String version) {
    if (version == null || version.isEmpty() || version.length() > 9 || !version.chars().allMatch(Character::isDigit)) {
      throw RegistryProblems.versionNotFound(name, String.valueOf(version));
    }
    return Integer.parseInt(version);
  }

  private ModelEntity findAmong(List<String> owners, String name) {
    for (String owner : owners) {
      Optional<ModelEntity> m = models.findByOwnerAndName(owner, name);
      if (m.isPresent()) {
        return m.get();
      }
    }
    throw RegistryProblems.modelNotFound(name);
  }

  private static ModelVersionInfo versionInfo(ModelEntity m, ModelVersionEntity v) {
    return new ModelVersionInfo(m.name, m.owner, v.version, v.task, v.digest, v.sizeBytes, v.inputs, v.outputs,
        v.opset, v.tokenizerDigest, v.labels, v.createdAt);
  }

  private static ModelInfo modelInfo(ModelEntity m, List<ModelVersionEntity> vs, List<ModelAliasEntity> as,
      DeploymentSettings deployment) {
    List<Integer> numbers = vs.stream().map(v -> v.version).sorted().toList();
    Map<String, Integer> aliasMap = new LinkedHashMap<>();
    as.forEach(a -> aliasMap.put(a.alias, a.version));
    return new ModelInfo(m.name, m.owner, m.task, numbers, aliasMap,
        numbers.isEmpty() ? null : numbers.get(numbers.size() - 1), m.createdAt, deployment);
  }

  private static DeploymentSettings deployment(DeploymentEntity d) {
    return new DeploymentSettings(d.replicas, d.device, d.maxBatchSize, d.maxQueueDelayMs, d.instances,
        d.updatedAt);
  }
}
