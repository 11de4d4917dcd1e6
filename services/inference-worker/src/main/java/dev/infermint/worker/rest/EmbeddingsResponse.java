package dev.infermint.worker.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OpenAI embeddings response.
 *
 * @param object always {@code list}
 * @param data one embedding per input, in input order
 * @param model the model name
 * @param usage the tokens the inputs took
 */
public record EmbeddingsResponse(String object, List<Embedding> data, String model, Usage usage) {

  /**
   * One embedding.
   *
   * @param object always {@code embedding}
   * @param index the input's position
   * @param embedding the vector: a list of floats, or with {@code encoding_format=base64} the little-endian float32
   *     bytes in base64
   */
  public record Embedding(String object, int index, Object embedding) {
  }

  /**
   * Token usage.
   *
   * @param promptTokens the tokens of all inputs, special tokens included
   * @param totalTokens the same, as embeddings produce no tokens
   */
  public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
      @JsonProperty("total_tokens") long totalTokens) {
  }
}
