package dev.infermint.worker.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.config.WorkerConfig;

/**
 * Hugging Face tokenizers loaded from the tokenizer.json blobs uploaded with embedding models, keyed by digest and
 * truncation length. A tokenizer is always read from a local file, never fetched from the Hugging Face hub.
 * Sequences are padded to the longest in a batch and truncated to the model's maximum
 * ({@link EmbeddingTraits#maxSequenceLength()}), whatever the file says: a tokenizer.json's {@code truncation} and
 * {@code padding} are the state of the session that saved it (all-MiniLM-L6-v2's says 128 tokens, padded to a fixed
 * 128), not a limit of the model.
 */
@ApplicationScoped
public class TokenizerCache {

  private static final Logger LOG = Logger.getLogger(TokenizerCache.class);

  @Inject
  BlobCache blobs;

  @Inject
  WorkerConfig config;

  private ResourcePool<HuggingFaceTokenizer> pool;

  @PostConstruct
  void init() {
    pool = new ResourcePool<>("tokenizer", config.maxLoadedTokenizers());
  }

  @PreDestroy
  void shutdown() {
    pool.clear();
  }

  /**
   * Gets a tokenizer, downloading and loading it first if needed.
   *
   * @param model the embedding model whose tokenizer it is (for messages)
   * @param hex the tokenizer.json's sha256
   * @param maxLength the most tokens per sequence (special tokens included); longer inputs are truncated
   * @param deadline how long to wait for another request's load of the same file
   * @param requestId the request id to forward to the registry
   * @return a lease to close when the request is done with the tokenizer
   */
  public ResourcePool.Lease<HuggingFaceTokenizer> acquire(ResolvedModel model, String hex, int maxLength,
      Deadline deadline, String requestId) {
    return pool.acquire(hex + "@" + maxLength, () -> load(model, hex, maxLength, requestId), deadline);
  }

  private HuggingFaceTokenizer load(ResolvedModel model, String hex, int maxLength, String requestId) {
    Path file = blobs.fetch(hex, requestId);
    long start = System.nanoTime();
    try {
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
          "addSpecialTokens", "true",
          "padding", "true",
          "truncation", "true",
          "maxLength", Integer.toString(maxLength)));
      LOG.infof("Loaded tokenizer sha256:%s of %s in %d ms (max length %d)", hex, model.name(),
          (System.nanoTime() - start) / 1_000_000, tokenizer.getMaxLength());
      return tokenizer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // The tokenizers library rejects a file that is not a tokenizer.json with a runtime exception.
      throw InferenceProblems.unsupportedModel("the tokenizer of model '" + model.name() + "' cannot be loaded: "
          + e.getMessage());
    }
  }
}
