package dev.infermint.registry.rest;

import java.util.List;

import dev.infermint.registry.service.DeploymentSettings;
import dev.infermint.registry.service.ModelVersionInfo;
import dev.infermint.registry.service.TensorSignature;

/**
 * Answer of {@code GET /internal/models/resolve}: what an inference worker needs to fetch and run a model.
 *
 * @param name the model name
 * @param version the resolved version
 * @param owner the owning tenant id, or {@code public}
 * @param task the task
 * @param digest {@code sha256:<hex>} of the ONNX file, fetched from {@code /internal/blobs/{hex}}
 * @param tokenizerDigest {@code sha256:<hex>} of the tokenizer.json, null when none
 * @param inputs graph inputs
 * @param outputs graph outputs
 * @param opset default-domain opset
 * @param labels class labels by index, null when none
 * @param deployment the model's serving settings (the worker applies its batching and device), null when none
 */
public record ResolvedModelResponse(String name, int version, String owner, String task, String digest,
    String tokenizerDigest, List<TensorSignature> inputs, List<TensorSignature> outputs, Integer opset,
    List<String> labels, DeploymentResponse deployment) {

  static ResolvedModelResponse of(ModelVersionInfo v, DeploymentSettings deployment) {
    return new ResolvedModelResponse(v.name(), v.version(), v.owner(), v.task(), v.digest(), v.tokenizerDigest(),
        v.inputs(), v.outputs(), v.opset(), v.labels(), deployment == null ? null
        : DeploymentResponse.of(v.name(), deployment));
  }
}
