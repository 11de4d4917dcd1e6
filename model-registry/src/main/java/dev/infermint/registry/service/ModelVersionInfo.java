package dev.infermint.registry.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored version of a model, as the service hands it out.
 *
 * @param name the model name
 * @param owner the owning tenant id, or {@code public}
 * @param version the version number
 * @param task the task
 * @param digest {@code sha256:<hex>} of the ONNX file
 * @param sizeBytes its size
 * @param inputs graph inputs
 * @param outputs graph outputs
 * @param opset default-domain opset, may be null
 * @param tokenizerDigest {@code sha256:<hex>} of the tokenizer.json, may be null
 * @param labels class labels by index, may be null
 * @param createdAt upload time
 * @param description free text about the version, null when none
 * @param tags string tags by key, sorted; empty when none
 */
public record ModelVersionInfo(String name, String owner, int version, String task, String digest, long sizeBytes,
    List<TensorSignature> inputs, List<TensorSignature> outputs, Integer opset, String tokenizerDigest,
    List<String> labels, Instant createdAt, String description, Map<String, String> tags) {
}
