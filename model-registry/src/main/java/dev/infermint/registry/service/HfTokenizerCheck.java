package dev.infermint.registry.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.LibUtils;

import io.quarkus.runtime.StartupEvent;

import dev.infermint.problem.Problems;
import dev.infermint.registry.config.RegistryConfig;

/**
 * Checks that an uploaded tokenizer.json loads in the Hugging Face tokenizers library the inference workers use
 * ({@code ai.djl.huggingface:tokenizers}, the same version), and that it encodes a short text.
 *
 * <p>Lifecycle: on {@link StartupEvent} it keeps DJL offline (system properties, beside the {@code DJL_OFFLINE} and
 * {@code OPT_OUT_TRACKING} environment variables the launcher and Maven set), points DJL's cache at
 * {@code <data-dir>/djl} where the native library is extracted from the jar, and loads that library once. When it
 * cannot load (a platform the jar ships no native for), the registry still starts and this check is skipped with
 * one warning; {@link #available()} says which.
 */
@ApplicationScoped
public class HfTokenizerCheck {

  private static final Logger LOG = Logger.getLogger(HfTokenizerCheck.class);
  private static final String SAMPLE = "Infermint checks that this tokenizer encodes text.";
  private static final int MAX_REASON = 300;
  /** As the workers' TokenizerCache loads a tokenizer (its length there is the model's; 512 is BERT's). */
  private static final Map<String, String> WORKER_OPTIONS = Map.of("addSpecialTokens", "true", "padding", "true",
      "truncation", "true", "maxLength", "512");

  @Inject
  RegistryConfig config;

  private volatile Boolean available;

  void onStart(@Observes StartupEvent event) {
    available();
  }

  /** @return whether the tokenizers native library loaded, so that {@link #requireLoadable} parses files */
  public boolean available() {
    Boolean known = available;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (available == null) {
        available = load();
      }
      return available;
    }
  }

  private boolean load() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", config.dataDir().resolve("djl").toAbsolutePath().toString());
    }
    try {
      LibUtils.checkStatus();
      return true;
    } catch (RuntimeException | LinkageError e) {
      LOG.warnf("The Hugging Face tokenizers library could not load (%s); uploaded tokenizer.json files are only "
          + "checked to be JSON objects, and a broken one fails in the worker instead", e.toString());
      return false;
    }
  }

  /**
   * Loads a tokenizer.json and encodes a sample with it.
   *
   * @param file the staged tokenizer.json (any file name)
   * @throws dev.infermint.problem.ProblemException 422 naming {@code tokenizer} with the library's reason when it
   *     does not load or cannot encode
   * @throws IOException when the file cannot be read
   */
  public void requireLoadable(Path file) throws IOException {
    if (!available()) {
      return;
    }
    try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, WORKER_OPTIONS)) {
      tokenizer.encode(SAMPLE);
    } catch (RuntimeException e) {
      // The library reports a file it cannot read as a tokenizer.json with a RuntimeException from its native side.
      throw Problems.validation("tokenizer", "is not a tokenizer.json the workers' Hugging Face tokenizers library"
          + " can load: " + reason(e));
    }
  }

  private static String reason(RuntimeException e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return msg.length() > MAX_REASON ? msg.substring(0, MAX_REASON) + "…" : msg;
  }
}
