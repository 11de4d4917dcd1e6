package dev.infermint.registry.service;

import java.util.Locale;

import dev.infermint.problem.Problems;

/** What a model is for; decides which public API can serve it. */
public enum ModelTask {
  /** Text in, vector out; served by {@code /v1/embeddings}; needs a tokenizer. */
  EMBEDDING,
  /** Tensors in, class scores out; labels name the classes. */
  CLASSIFICATION,
  /** Any tensors in and out; served by {@code /v2/.../infer}. */
  GENERIC;

  /** @return the name the API uses, lower case */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param value the API name
   * @return the task
   * @throws dev.infermint.problem.ProblemException 422 naming {@code task} when the value is unknown
   */
  public static ModelTask parse(String value) {
    for (ModelTask t : values()) {
      if (t.apiName().equals(value)) {
        return t;
      }
    }
    throw Problems.validation("task", "must be one of embedding, classification, generic (got '" + value + "')");
  }
}
