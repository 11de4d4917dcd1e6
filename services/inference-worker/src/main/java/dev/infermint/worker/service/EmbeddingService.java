package dev.infermint.worker.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.batching.BatchScheduler;
import dev.infermint.worker.batching.Pending;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.rest.EmbeddingsRequest;
import dev.infermint.worker.rest.EmbeddingsResponse;

/**
 * OpenAI-compatible text embeddings with a sentence-transformer ONNX model (task {@code embedding}) and the
 * tokenizer uploaded with it: the inputs are tokenised as one padded batch, run through the model, mean-pooled over
 * the attention mask and L2-normalised, as sentence-transformers does. Inputs longer than the model's maximum
 * ({@link EmbeddingTraits#maxSequenceLength()}) are truncated to it, not refused. {@code dimensions} is allowed
 * only for the sizes the model declares it was trained for ({@link EmbeddingTraits#matryoshkaDimensions()}); it
 * keeps the first <i>n</i> components and normalises again (Matryoshka truncation, as OpenAI's text-embedding-3).
 *
 * <p>Batching: a request's inputs go in chunks of {@code embeddings.batch-size} strings to the model's
 * {@link BatchScheduler}, which merges chunks of any requests (and tenants) for the same model and tokenizer into
 * one ONNX Runtime call of at most {@code batching.max-batch-size} strings, padded to the longest of the batch; each
 * chunk gets its own rows back, and the mean pooling over the attention mask ignores the padding.
 *
 * <p>Units: the prompt tokens of all inputs, as the tokenizer counts them (the attention masks: special tokens
 * included, padding not, each input after truncation to the model's length), summed over every batch.
 */
@ApplicationScoped
public class EmbeddingService {

  private static final Logger LOG = Logger.getLogger(EmbeddingService.class);

  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";

  @Inject
  ModelResolver resolver;

  @Inject
  ModelCache models;

  @Inject
  TokenizerCache tokenizers;

  @Inject
  InferenceAdmission admission;

  @Inject
  WorkerConfig config;

  /** What the model gave for one batch: one vector per input, and each input's tokens. */
  private record Batch(List<float[]> vectors, long[] tokens) {
  }

  /** Strings of one request to embed, with what embeds them (held by the request's leases while it waits). */
  private record Chunk(ResolvedModel model, HuggingFaceTokenizer tokenizer, OrtLoadedModel session,
      List<String> texts) {
  }

  /** One chunk's vectors, tokens, and the compute time of the batch it ran in. */
  private record Embedded(List<float[]> vectors, long tokens, long computeNanos) {
  }

  /**
   * Embeds the request's inputs.
   *
   * @param tenant the caller's tenant
   * @param request the OpenAI request
   * @param deadline when the caller needs the answer; the model does not run once it has passed
   * @param requestId the request id
   * @return the OpenAI response, metered in prompt tokens, once every chunk has run; it fails with 503
   *     {@code overloaded} or 504 when a chunk waited too long in the queue. Nothing blocks while it waits
   * @throws ProblemException 400 naming the field for a bad request or a model that is not an embedding model, 503
   *     when the worker is overloaded, 504 when the deadline passes before the chunks are queued
   */
  public CompletableFuture<Metered<EmbeddingsResponse>> embed(String tenant, EmbeddingsRequest request, Deadline deadline,
      String requestId) {
    deadline.check("on arrival");
    if (request == null) {
      throw InferenceProblems.invalidField("model", "the request body is missing; send {\"model\", \"input\"}");
    }
    if (request.model() == null || request.model().isBlank()) {
      throw InferenceProblems.invalidField("model", "is required");
    }
    List<String> inputs = inputs(request.input());
    boolean base64 = base64(request.encodingFormat());
    Integer dimensions = dimensions(request.dimensions());

    ResolvedModel m = resolver.resolve(tenant, request.model(), null, requestId);
    if (!ResolvedModel.EMBEDDING.equals(m.task())) {
      throw InferenceProblems.invalidField("model", "model '" + m.name() + "' has task '" + m.task()
          + "'; /v1/embeddings needs a model registered with task 'embedding'");
    }
    if (m.tokenizerDigest() == null) {
      throw InferenceProblems.invalidField("model", "model '" + m.name()
          + "' was registered without a tokenizer, which embeddings need");
    }
    checkSignature(m);

    // The model first: what it declares (its length, the sizes it can be cut to) decides how its tokenizer
    // truncates and whether `dimensions` is allowed.
    ResourcePool.Lease<OrtLoadedModel> model = models.acquire(m, deadline, requestId);
    ResourcePool.Lease<HuggingFaceTokenizer> tokenizer;
    try {
      EmbeddingTraits traits = EmbeddingTraits.of(m.name(), model.get().metadata(),
          config.embeddings().modelMaxLength());
      if (dimensions != null) {
        traits.checkDimensions(m.name(), dimensions, fixedWidth(m));
      }
      tokenizer = tokenizers.acquire(m, m.tokenizerDigest(), traits.maxSequenceLength(), deadline, requestId);
    } catch (RuntimeException | Error e) {
      model.close();
      throw e;
    }
    try {
      deadline.check("while the model was looked up and loaded");
      admission.checkReady();
      // The leases hold the tokenizer and the session until the chunks have run (or were dropped).
      return compute(tenant, m, request, inputs, base64, dimensions, tokenizer.get(), model.get(), deadline)
          .whenComplete((result, failure) -> {
            tokenizer.close();
            model.close();
          });
    } catch (RuntimeException | Error e) {
      tokenizer.close();
      model.close();
      throw e;
    }
  }

  private CompletableFuture<Metered<EmbeddingsResponse>> compute(String tenant, ResolvedModel m,
      EmbeddingsRequest request, List<String> inputs, boolean base64, Integer dimensions,
      HuggingFaceTokenizer tokenizer, OrtLoadedModel model, Deadline deadline) {
    BatchScheduler<Chunk, Embedded> scheduler = model.scheduler("embeddings",
        () -> admission.scheduler(m, EmbeddingService::runBatch));
    int chunkSize = Math.max(1, config.embeddings().batchSize());
    List<Pending<Embedded>> pending = new ArrayList<>();
    try {
      for (int from = 0; from < inputs.size(); from += chunkSize) {
        List<String> texts = inputs.subList(from, Math.min(inputs.size(), from + chunkSize));
        // Only the same tokenizer pads and counts alike, so only chunks that share it merge.
        pending.add(scheduler.submit(tenant, m.tokenizerDigest(), texts.size(), deadline,
            new Chunk(m, tokenizer, model, texts)));
      }
    } catch (RuntimeException | Error e) {
      // A chunk refused: the request is answered with that problem, and its other chunks need not run.
      pending.forEach(Pending::withdraw);
      throw e;
    }
    return Pending.all(pending, deadline, admission.maxWait())
        .thenApply(chunks -> respond(m, request, inputs, base64, dimensions, chunks));
  }

  private static Metered<EmbeddingsResponse> respond(ResolvedModel m, EmbeddingsRequest request,
      List<String> inputs, boolean base64, Integer dimensions, List<Embedded> chunks) {
    List<float[]> vectors = new ArrayList<>(inputs.size());
    long tokens = 0;
    long nanos = 0;
    for (Embedded e : chunks) {
      vectors.addAll(e.vectors());
      tokens += e.tokens();
      nanos += e.computeNanos();
    }
    int width = vectors.get(0).length;
    if (dimensions != null && dimensions > width) {
      // Allowed by the model's metadata, yet wider than what it gives: the model's declaration is wrong.
      throw InferenceProblems.unsupportedModel("model '" + m.name() + "' declares " + dimensions + " among its "
          + EmbeddingTraits.MATRYOSHKA_DIMENSIONS + ", but its embeddings have " + width + " dimensions");
    }
    List<EmbeddingsResponse.Embedding> data = new ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      float[] v = vectors.get(i);
      if (dimensions != null && dimensions < v.length) {
        float[] cut = new float[dimensions];
        System.arraycopy(v, 0, cut, 0, dimensions);
        v = normalize(cut);
      }
      data.add(new EmbeddingsResponse.Embedding("embedding", i, base64 ? toBase64(v) : v));
    }
    Metered<EmbeddingsResponse> result = new Metered<>(new EmbeddingsResponse("list", data, request.model(),
        new EmbeddingsResponse.Usage(tokens, tokens)), m.name(), m.version(), tokens, (nanos + 999_999) / 1_000_000);
    LOG.debugf("Embedded %d input(s), %d tokens, with %s:%s in %d ms", inputs.size(), tokens, m.name(),
        m.version(), result.computeMs());
    return result;
  }

  /** Runs chunks of one model and tokenizer as one padded batch, and hands each chunk its rows. */
  private static List<Embedded> runBatch(List<Chunk> chunks) {
    long start = System.nanoTime();
    Chunk first = chunks.get(0);
    List<String> texts;
    if (chunks.size() == 1) {
      texts = first.texts();
    } else {
      texts = new ArrayList<>();
      for (Chunk c : chunks) {
        texts.addAll(c.texts());
      }
    }
    Batch batch = run(first.model(), first.tokenizer(), first.session(), texts);
    long nanos = System.nanoTime() - start;
    List<Embedded> out = new ArrayList<>(chunks.size());
    int row = 0;
    for (Chunk c : chunks) {
      int n = c.texts().size();
      long tokens = 0;
      for (int i = row; i < row + n; i++) {
        tokens += batch.tokens()[i];
      }
      out.add(new Embedded(batch.vectors().subList(row, row + n), tokens, nanos));
      row += n;
    }
    return out;
  }

  private static Batch run(ResolvedModel m, HuggingFaceTokenizer tokenizer, OrtLoadedModel model,
      List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int rows = encodings.length;
    int length = encodings[0].getIds().length;
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    long[] tokens = new long[rows];
    for (int r = 0; r < rows; r++) {
      long[] rowIds = encodings[r].getIds();
      long[] rowMask = encodings[r].getAttentionMask();
      long[] rowTypes = encodings[r].getTypeIds();
      System.arraycopy(rowIds, 0, ids, r * length, length);
      System.arraycopy(rowMask, 0, mask, r * length, length);
      System.arraycopy(rowTypes, 0, types, r * length, length);
      for (long bit : rowMask) {
        tokens[r] += bit;
      }
    }
    Shape shape = new Shape(rows, length);
    try {
      List<float[]> vectors = model.run(manager -> {
        NDList list = new NDList();
        list.add(tokenArray(manager, m, INPUT_IDS, ids, shape));
        list.add(tokenArray(manager, m, ATTENTION_MASK, mask, shape));
        if (m.input(TOKEN_TYPE_IDS).isPresent()) {
          list.add(tokenArray(manager, m, TOKEN_TYPE_IDS, types, shape));
        }
        return list;
      }, outputs -> pool(m, outputs, mask, rows, length));
      return new Batch(vectors, tokens);
    } catch (TranslateException | RuntimeException e) {
      if (e instanceof ProblemException p) {
        throw p;
      }
      throw InferenceProblems.inferenceFailed(m.name(), OipService.rootMessage(e));
    }
  }

  private static NDArray tokenArray(NDManager manager, ResolvedModel m, String name, long[] values, Shape shape) {
    boolean int32 = m.input(name).flatMap(TensorSpec::type).orElse(Datatype.INT64) == Datatype.INT32;
    NDArray array;
    if (int32) {
      int[] narrow = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        narrow[i] = (int) values[i];
      }
      array = manager.create(narrow, shape);
    } else {
      array = manager.create(values, shape);
    }
    array.setName(name);
    return array;
  }

  /** Picks the model's token embeddings (or its sentence embeddings) and turns them into unit vectors. */
  private static List<float[]> pool(ResolvedModel m, NDList outputs, long[] mask, int rows, int length) {
    NDArray pooled = null;
    NDArray hidden = null;
    for (NDArray out : outputs) {
      int rank = out.getShape().dimension();
      if (rank == 2 && pooled == null && "sentence_embedding".equals(out.getName())) {
        pooled = out;
      } else if (rank == 3 && (hidden == null || "last_hidden_state".equals(out.getName()))) {
        hidden = out;
      }
    }
    List<float[]> vectors = new ArrayList<>(rows);
    if (pooled != null) {
      float[] flat = pooled.toFloatArray();
      int width = flat.length / rows;
      for (int r = 0; r < rows; r++) {
        float[] v = new float[width];
        System.arraycopy(flat, r * width, v, 0, width);
        vectors.add(normalize(v));
      }
      return vectors;
    }
    if (hidden == null || hidden.getShape().get(0) != rows || hidden.getShape().get(1) != length) {
      throw InferenceProblems.unsupportedModel("model '" + m.name() + "' has no [batch, tokens, width] output"
          + " (such as last_hidden_state) to pool into embeddings");
    }
    float[] flat = hidden.toFloatArray();
    int width = (int) hidden.getShape().get(2);
    for (int r = 0; r < rows; r++) {
      float[] sum = new float[width];
      long count = 0;
      for (int t = 0; t < length; t++) {
        if (mask[r * length + t] == 0) {
          continue;
        }
        count++;
        int base = (r * length + t) * width;
        for (int k = 0; k < width; k++) {
          sum[k] += flat[base + k];
        }
      }
      float scale = 1f / Math.max(1, count);
      for (int k = 0; k < width; k++) {
        sum[k] *= scale;
      }
      vectors.add(normalize(sum));
    }
    return vectors;
  }

  private static void checkSignature(ResolvedModel m) {
    for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
      if (m.input(required).isEmpty()) {
        throw InferenceProblems.unsupportedModel("model '" + m.name() + "' has no '" + required
            + "' input; embedding models take input_ids, attention_mask and optionally token_type_ids");
      }
    }
    for (TensorSpec in : m.inputs()) {
      if (!List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(in.name())) {
        throw InferenceProblems.unsupportedModel("model '" + m.name() + "' has an input '" + in.name()
            + "' that the embeddings endpoint cannot fill; use /v2/models/" + m.name() + "/infer");
      }
    }
  }

  /** The embedding width when the signature fixes it (the last dimension of its first output), else -1. */
  private static long fixedWidth(ResolvedModel m) {
    for (TensorSpec out : m.outputs()) {
      if (out.shape() != null && out.shape().length >= 2) {
        return out.shape()[out.shape().length - 1];
      }
    }
    return -1;
  }

  private List<String> inputs(JsonNode input) {
    if (input == null || input.isNull() || input.isMissingNode()) {
      throw InferenceProblems.invalidField("input", "is required: a string or a list of strings");
    }
    if (input.isTextual()) {
      return List.of(text(input, -1));
    }
    if (!input.isArray()) {
      throw InferenceProblems.invalidField("input", "must be a string or a list of strings, not "
          + input.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    if (input.isEmpty()) {
      throw InferenceProblems.invalidField("input", "must not be an empty list");
    }
    int max = config.embeddings().maxInputs();
    if (input.size() > max) {
      throw InferenceProblems.invalidField("input", "has " + input.size() + " strings; at most " + max
          + " are allowed in one request");
    }
    List<String> texts = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      texts.add(text(input.get(i), i));
    }
    return texts;
  }

  private static String text(JsonNode node, int index) {
    String where = index < 0 ? "input" : "input[" + index + "]";
    if (!node.isTextual()) {
      throw InferenceProblems.invalidField("input", where + " must be a string (token arrays are not supported),"
          + " not " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    if (node.textValue().isEmpty()) {
      throw InferenceProblems.invalidField("input", where + " must not be an empty string");
    }
    return node.textValue();
  }

  private static boolean base64(String format) {
    if (format == null || format.equals("float")) {
      return false;
    }
    if (format.equals("base64")) {
      return true;
    }
    throw InferenceProblems.invalidField("encoding_format", "must be 'float' or 'base64', not '" + format + "'");
  }

  private static Integer dimensions(JsonNode dimensions) {
    if (dimensions == null || dimensions.isNull() || dimensions.isMissingNode()) {
      return null;
    }
    if (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt() || dimensions.intValue() < 1) {
      throw InferenceProblems.invalidField("dimensions", "must be a positive integer, not " + dimensions);
    }
    return dimensions.intValue();
  }

  /**
   * Scales a vector to unit length (L2); a zero vector stays zero.
   *
   * @param v the vector, changed in place
   * @return {@code v}
   */
  static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    if (norm > 1e-12) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
    return v;
  }

  /**
   * Encodes a vector as OpenAI does for {@code encoding_format=base64}: little-endian float32, base64.
   *
   * @param v the vector
   * @return the base64 text
   */
  static String toBase64(float[] v) {
    ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      bytes.putFloat(x);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
