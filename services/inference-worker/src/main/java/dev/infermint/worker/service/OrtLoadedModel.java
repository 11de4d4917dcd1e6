package dev.infermint.worker.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtSession;

import dev.infermint.worker.batching.BatchScheduler;

/**
 * One ONNX model loaded into an ONNX Runtime session through DJL, shared by every request for its digest. ONNX
 * Runtime sessions run concurrent batches safely; each running batch borrows a predictor (made once, then reused:
 * as many exist as batches ever ran at once, at most the model's batch instances) and gets its own NDManager, which
 * frees the batch's native tensors when it ends.
 *
 * <p>Lifecycle: the model also owns its {@link BatchScheduler}s (one per kind of request: OIP, embeddings), made on
 * first use; {@link #close()} (when the model is evicted or unloaded and its last request has ended) closes them
 * with the session, so that no scheduler outlives its model.
 */
public final class OrtLoadedModel implements AutoCloseable {

  private final Model model;
  private final OrtSession.SessionOptions options;
  private final String digest;
  private final long sizeBytes;
  private final String device;
  private final Map<String, String> metadata;
  private final ConcurrentLinkedDeque<Predictor<NDList, NDList>> predictors = new ConcurrentLinkedDeque<>();
  private final ConcurrentMap<String, BatchScheduler<?, ?>> schedulers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param model the loaded DJL model
   * @param options the session options it was loaded with, closed with it
   * @param digest the file's sha256
   * @param sizeBytes the file's size
   * @param device the name of the device the session runs on
   */
  OrtLoadedModel(Model model, OrtSession.SessionOptions options, String digest, long sizeBytes, String device) {
    this.model = model;
    this.options = options;
    this.digest = digest;
    this.sizeBytes = sizeBytes;
    this.device = device;
    // Read once at load: the file's custom metadata (ONNX metadata_props) says what the model supports beyond its
    // signature, e.g. the embedding sizes it was trained for (EmbeddingTraits).
    this.metadata = model.getBlock() instanceof OrtSymbolBlock block ? Map.copyOf(block.getCustomMetadata())
        : Map.of();
  }

  /**
   * The model's batch scheduler for one kind of request, made on first use.
   *
   * @param use the kind of request ({@code oip}, {@code embeddings}); each kind has its own input and result types
   * @param make makes the scheduler
   * @param <I> a request's input
   * @param <O> a request's result
   * @return the scheduler, closed with the model
   */
  @SuppressWarnings("unchecked")
  public <I, O> BatchScheduler<I, O> scheduler(String use, Supplier<BatchScheduler<I, O>> make) {
    BatchScheduler<I, O> scheduler = (BatchScheduler<I, O>) schedulers.computeIfAbsent(use, u -> make.get());
    if (closed) {
      // A lease holder never sees a closed model; this only guards a misuse from leaking a scheduler.
      schedulers.remove(use, scheduler);
      scheduler.close();
      throw new IllegalStateException(this + " is closed");
    }
    return scheduler;
  }

  /** @return how many schedulers the model has */
  public int schedulers() {
    return schedulers.size();
  }

  /** @return whether the session was closed */
  public boolean closed() {
    return closed;
  }

  /** @return the model file's custom metadata (ONNX {@code metadata_props}), read when it was loaded */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** @return the device the session runs on */
  public String device() {
    return device;
  }

  /**
   * Runs the model once.
   *
   * @param inputs builds the named input arrays in the given request-scoped manager
   * @param outputs reads what is needed from the outputs before they are freed
   * @param <R> what is read
   * @return what {@code outputs} read
   * @throws TranslateException when ONNX Runtime fails on the input
   */
  public <R> R run(Function<NDManager, NDList> inputs, Function<NDList, R> outputs) throws TranslateException {
    Predictor<NDList, NDList> predictor = predictors.pollFirst();
    if (predictor == null) {
      predictor = model.newPredictor(new NoopTranslator());
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDList result = predictor.predict(inputs.apply(manager));
      return outputs.apply(result);
    } finally {
      predictors.addFirst(predictor);
    }
  }

  /** @return the model file's size in bytes */
  public long sizeBytes() {
    return sizeBytes;
  }

  @Override
  public void close() {
    closed = true;
    schedulers.values().forEach(BatchScheduler::close);
    schedulers.clear();
    for (Predictor<NDList, NDList> p; (p = predictors.pollFirst()) != null; ) {
      p.close();
    }
    model.close();
    options.close();
  }

  @Override
  public String toString() {
    return "OrtLoadedModel[sha256:" + digest + "]";
  }
}
