package dev.infermint.registry.service;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;

import dev.infermint.registry.config.RegistryConfig;

/**
 * Registers the public catalog at startup: every entry of {@code catalog/catalog.json} on the classpath (the build
 * copies all-MiniLM-L6-v2 and its tokenizer there out of the LangChain4j artifact) becomes version 1 of a model
 * owned by {@code public}, unless that model already has a version.
 *
 * <p>Idempotent and safe when several replicas start together: the version row is only inserted while the model's row
 * is locked and still has no version, so a restart or a second replica changes nothing. When the row exists but its
 * file is missing (a wiped data folder), the file is put back if the bytes match the recorded digest.
 */
@ApplicationScoped
public class CatalogSeeder {

  /** Classpath location of the catalog index. */
  public static final String INDEX = "catalog/catalog.json";

  private static final Logger LOG = Logger.getLogger(CatalogSeeder.class);

  @Inject
  RegistryConfig config;

  @Inject
  ModelQueries models;

  @Inject
  UploadPipeline uploads;

  @Inject
  ObjectMapper json;

  /**
   * An entry of the catalog index.
   *
   * @param name the model name
   * @param task its task
   * @param model classpath location of the ONNX file
   * @param tokenizer classpath location of the tokenizer.json, may be null
   */
  public record Entry(String name, String task, String model, String tokenizer) {
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.seedCatalog()) {
      LOG.info("Public catalog seeding is off (infermint.registry.seed-catalog=false)");
      return;
    }
    seed();
  }

  /** Registers every catalog entry that is missing; failures are logged, never fatal to startup. */
  public void seed() {
    List<Entry> entries;
    try (InputStream in = resource(INDEX).open()) {
      entries = json.readValue(in, new TypeReference<List<Entry>>() { });
    } catch (IOException e) {
      LOG.warnf("No public catalog on the classpath (%s): %s", INDEX, e.getMessage());
      return;
    }
    for (Entry entry : entries) {
      try {
        seed(entry);
      } catch (RuntimeException | IOException e) {
        LOG.errorf(e, "Could not register catalog model %s", entry.name());
      }
    }
  }

  private void seed(Entry entry) throws IOException {
    ModelUpload.Source model = resource(entry.model());
    ModelUpload.Source tokenizer = entry.tokenizer() == null ? null : resource(entry.tokenizer());
    if (models.hasVersions(Owners.PUBLIC, entry.name())) {
      for (String digest : models.digests(Owners.PUBLIC, entry.name())) {
        if (uploads.restoreBlob(digest, model) || (tokenizer != null && uploads.restoreBlob(digest, tokenizer))) {
          LOG.infof("Restored the missing file %s of catalog model %s", digest, entry.name());
        }
      }
      return;
    }
    uploads.upload(Owners.PUBLIC, new ModelUpload(entry.name(), entry.task(), model, tokenizer, null, true))
        .ifPresentOrElse(v -> LOG.infof("Registered catalog model %s version %d (%s)", v.name(), v.version(),
            v.digest()), () -> LOG.debugf("Catalog model %s was registered concurrently", entry.name()));
  }

  private static ModelUpload.Source resource(String path) {
    return () -> {
      InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path);
      if (in == null) {
        throw new FileNotFoundException("classpath resource " + path);
      }
      return in;
    };
  }
}
