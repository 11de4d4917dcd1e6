package dev.infermint.worker.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;

/**
 * What an embedding model declares about itself beyond its signature, in its ONNX file's {@code metadata_props}
 * (read once when the model loads, {@link OrtLoadedModel#metadata()}), as a model exporter writes them with
 * {@code onnx.helper.set_model_props}:
 *
 * <ul>
 *   <li>{@value #MATRYOSHKA_DIMENSIONS}: the embedding sizes the model was trained to be cut to (Matryoshka
 *       representation learning), e.g. {@code "768,512,256,128"}. Only these (and the model's full width) may be
 *       asked for with {@code dimensions}; a model without the key supports its full width only, since cutting a
 *       vector the model was not trained to cut gives a worse embedding without saying so.</li>
 *   <li>{@value #MAX_SEQUENCE_LENGTH}: the most tokens the model takes (its position embeddings), e.g.
 *       {@code "8192"}; without it, {@code embeddings.model-max-length} (512, BERT's).</li>
 * </ul>
 *
 * @param matryoshkaDimensions the declared sizes, largest first; empty when the model declares none
 * @param maxSequenceLength the most tokens fed to the model per input, special tokens included
 */
public record EmbeddingTraits(List<Integer> matryoshkaDimensions, int maxSequenceLength) {

  /** Metadata key: the embedding sizes the model supports, comma-separated. */
  public static final String MATRYOSHKA_DIMENSIONS = "infermint.matryoshka_dimensions";
  /** Metadata key: the most tokens the model takes. */
  public static final String MAX_SEQUENCE_LENGTH = "infermint.max_sequence_length";

  /**
   * Reads the traits of a loaded embedding model.
   *
   * @param model the model's name, for messages
   * @param metadata the model file's custom metadata
   * @param defaultMaxLength the sequence length when the model declares none
   * @return the traits
   * @throws ProblemException 422 {@code unsupported_model} naming the key whose value cannot be read
   */
  public static EmbeddingTraits of(String model, Map<String, String> metadata, int defaultMaxLength) {
    List<Integer> sizes = new ArrayList<>();
    String declared = metadata.get(MATRYOSHKA_DIMENSIONS);
    if (declared != null && !declared.isBlank()) {
      for (String part : declared.split(",")) {
        sizes.add(positive(model, MATRYOSHKA_DIMENSIONS, declared, part.trim()));
      }
      sizes = sizes.stream().distinct().sorted(Collections.reverseOrder()).toList();
    }
    String max = metadata.get(MAX_SEQUENCE_LENGTH);
    int length = max == null || max.isBlank() ? defaultMaxLength
        : positive(model, MAX_SEQUENCE_LENGTH, max, max.trim());
    return new EmbeddingTraits(List.copyOf(sizes), length);
  }

  /**
   * Checks the {@code dimensions} of a request.
   *
   * @param model the model's name, for the message
   * @param dimensions the size asked for
   * @param width the model's full embedding width, or -1 when its signature does not fix it
   * @throws ProblemException 400 naming {@code dimensions}, the model and the sizes it supports
   */
  public void checkDimensions(String model, int dimensions, long width) {
    if (dimensions == width || matryoshkaDimensions.contains(dimensions)) {
      return;
    }
    String full = width > 0 ? Long.toString(width) : "its full width";
    if (matryoshkaDimensions.isEmpty()) {
      throw InferenceProblems.invalidField("dimensions", "model '" + model + "' does not support 'dimensions': it"
          + " was not trained to be cut (it declares no " + MATRYOSHKA_DIMENSIONS + "), so it gives " + full
          + " dimensions only, not " + dimensions);
    }
    List<String> sizes = new ArrayList<>();
    if (width > 0 && !matryoshkaDimensions.contains((int) width)) {
      sizes.add(full);
    }
    sizes.addAll(matryoshkaDimensions.stream().map(String::valueOf).toList());
    throw InferenceProblems.invalidField("dimensions", "model '" + model + "' supports dimensions "
        + sizes.stream().collect(Collectors.joining(", ")) + ", not " + dimensions);
  }

  private static int positive(String model, String key, String declared, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, naming the key.
    }
    throw InferenceProblems.unsupportedModel("model '" + model + "' declares " + key + " '" + declared
        + "' in its ONNX metadata, and '" + value + "' is not a positive integer");
  }
}
