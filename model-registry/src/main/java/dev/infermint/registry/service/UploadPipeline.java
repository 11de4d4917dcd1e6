package dev.infermint.registry.service;

import static dev.infermint.registry.service.ModelRecords.requireName;
import static dev.infermint.registry.service.ModelRecords.versionInfo;
import static dev.infermint.registry.service.ModelRecords.versionTarget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionEntity;
import dev.infermint.registry.repository.ModelVersionRepository;

/**
 * Stores new versions (the owner is a tenant id, or {@link Owners#PUBLIC} for the catalog).
 *
 * <p>Ordering of an upload, so that nothing is ever half-stored: the files are staged in the {@link BlobStore} while
 * hashed (an HTTP upload arrives staged: {@code UploadReceiver} wrote and hashed it as the body streamed in); the
 * model file is loaded in ONNX Runtime and the tokenizer parsed; only then are the rows inserted in one transaction,
 * which also moves the staged files under their digests before it commits, holding the digests' advisory locks
 * ({@link BlobPublisher#publishInTransaction}): no version is ever visible without its file. A refused upload leaves
 * neither a row nor a file. A tenant's upload adds its audit event to the {@link AuditOutbox}
 * in the transaction of the insert.
 */
@ApplicationScoped
public class UploadPipeline {

  private static final Logger LOG = Logger.getLogger(UploadPipeline.class);
  private static final JsonFactory JSON = new JsonFactory();

  @Inject
  RegistryConfig config;

  @Inject
  BlobStore blobs;

  @Inject
  BlobPublisher publisher;

  @Inject
  OrtSignatureReader signatures;

  @Inject
  HfTokenizerCheck tokenizerCheck;

  @Inject
  ModelRepository models;

  @Inject
  ModelVersionRepository versions;

  @Inject
  AuditOutbox audit;

  @Inject
  RegistryEvents events;

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
      long t0 = System.nanoTime();
      model = stage(upload.model(), "file", upload.fromCatalog() ? Long.MAX_VALUE : config.maxModelBytes());
      long staged = System.nanoTime();
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
        tokenizerCheck.requireLoadable(tokenizer.file());
      }
      long checked = System.nanoTime();
      ModelVersionInfo stored = insert(owner, upload, task, model, tokenizer, signature);
      if (stored == null) {
        return Optional.empty();
      }
      long inserted = System.nanoTime();
      LOG.infof("Stored model %s/%s version %d (%s, %d bytes; staged %d ms, checked %d ms, recorded and published "
          + "%d ms)", owner, stored.name(), stored.version(), stored.digest(), stored.sizeBytes(),
          millis(t0, staged), millis(staged, checked), millis(checked, inserted));
      return Optional.of(stored);
    } catch (IOException e) {
      LOG.errorf(e, "Could not stage an upload of %s/%s", owner, upload.name());
      throw RegistryProblems.storageFailed();
    } catch (UncheckedIOException e) {
      LOG.errorf(e, "Could not publish the files of an upload of %s/%s; nothing was recorded", owner, upload.name());
      throw RegistryProblems.storageFailed();
    } finally {
      blobs.discard(model);
      blobs.discard(tokenizer);
    }
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private BlobStore.StagedBlob stage(ModelUpload.Source source, String field, long maxBytes) throws IOException {
    BlobStore.StagedBlob received = source.staged();
    if (received != null) {
      if (received.sizeBytes() > maxBytes) {
        throw RegistryProblems.tooLarge(field, maxBytes);
      }
      return received;
    }
    try (InputStream in = source.open()) {
      return blobs.stage(in, maxBytes);
    } catch (BlobStore.BlobTooLargeException e) {
      throw RegistryProblems.tooLarge(field, maxBytes);
    }
  }

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
      events.record(RegistryEvents.VERSION_CREATED, owner, m.name, v.version, null, Map.of("digest", v.digest));
      // The files go in place before the rows commit, so a version is never visible without its file.
      publisher.publishInTransaction(Arrays.asList(model, tokenizer));
      return versionInfo(m, v);
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
      publisher.publish(staged);
      return true;
    } finally {
      blobs.discard(staged);
    }
  }
}
