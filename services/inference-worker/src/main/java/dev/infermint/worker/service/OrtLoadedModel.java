package dev.infermint.worker.service;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtSession;

/**
 * One ONNX model loaded into an ONNX Runtime session through DJL, shared by every request for its digest. ONNX
 * Runtime sessions run concurrent batches safely; each running batch borrows a predictor (made once, then reused:
 * as many exist as batches ever ran at once, at most the model's batch instances plus readiness checks) and gets its
 * own NDManager, which frees the batch's native tensors when it ends.
 */
public final class OrtLoadedModel implements AutoCloseable {

  private final Model model;
  private final OrtSession.SessionOptions options;
  private final String digest;
  private final long sizeBytes;
  private final ConcurrentLinkedDeque<Predictor<NDList, NDList>> predictors = new ConcurrentLinkedDeque<>();

  /**
   * @param model the loaded DJL model
   * @param options the session options it was loaded with, closed with it
   * @param digest the file's sha256
   * @param sizeBytes the file's size
   */
  OrtLoadedModel(Model model, OrtSession.SessionOptions options, String digest, long sizeBytes) {
    this.model = model;
    this.options = options;
    this.digest = digest;
    this.sizeBytes = sizeBytes;
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
