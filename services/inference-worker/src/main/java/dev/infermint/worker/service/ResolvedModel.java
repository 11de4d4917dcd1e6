package dev.infermint.worker.service;

import java.util.List;
import java.util.Optional;

/**
 * A model version the registry resolved for a tenant: what to load and how to call it.
 *
 * @param name the model name
 * @param version the version
 * @param owner the owning tenant id, or {@code public}
 * @param task {@code embedding}, {@code classification} or {@code generic}
 * @param digest the ONNX file's sha256, lowercase hex
 * @param tokenizerDigest the tokenizer.json's sha256, lowercase hex, or null
 * @param inputs the graph inputs, in graph order
 * @param outputs the graph outputs, in graph order
 * @param deployment how the registry says it is to be served ({@link Deployment#DEFAULTS} when it does not say)
 */
public record ResolvedModel(String name, String version, String owner, String task, String digest,
    String tokenizerDigest, List<TensorSpec> inputs, List<TensorSpec> outputs, Deployment deployment) {

  /** The task of text-embedding models, the only ones {@code /v1/embeddings} serves. */
  public static final String EMBEDDING = "embedding";

  public ResolvedModel {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    deployment = deployment == null ? Deployment.DEFAULTS : deployment;
  }

  /** @return the input of that name, if the model has one */
  public Optional<TensorSpec> input(String tensor) {
    return inputs.stream().filter(t -> t.name().equals(tensor)).findFirst();
  }

  /** @return the output of that name, if the model has one */
  public Optional<TensorSpec> output(String tensor) {
    return outputs.stream().filter(t -> t.name().equals(tensor)).findFirst();
  }
}
