package dev.infermint.registry.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.infermint.registry.service.ModelVersionInfo;
import dev.infermint.registry.service.TensorSignature;

/**
 * A model version: the answer to an upload and to {@code GET /api/v1/models/{model}/versions/{version}}.
 *
 * @param name the model name
 * @param owner the owning tenant id, or {@code public}
 * @param version the version number
 * @param digest {@code sha256:<hex>} of the ONNX file
 * @param sizeBytes its size
 * @param task {@code embedding}, {@code classification} or {@code generic}
 * @param inputs graph inputs ({@code name}, OIP {@code datatype}, {@code shape} with -1 for dynamic sizes)
 * @param outputs graph outputs
 * @param opset default-domain ONNX opset
 * @param tokenizerDigest {@code sha256:<hex>} of the tokenizer.json, absent when none
 * @param labels class labels by index, absent when none
 * @param createdAt upload time
 * @param description free text about the version, absent when none
 * @param tags string tags by key ({@code {}} when none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelVersionResponse(String name, String owner, int version, String digest, long sizeBytes, String task,
    List<TensorSignature> inputs, List<TensorSignature> outputs, Integer opset, String tokenizerDigest,
    List<String> labels, Instant createdAt, String description, Map<String, String> tags) {

  static ModelVersionResponse of(ModelVersionInfo v) {
    return new ModelVersionResponse(v.name(), v.owner(), v.version(), v.digest(), v.sizeBytes(), v.task(), v.inputs(),
        v.outputs(), v.opset(), v.tokenizerDigest(), v.labels(), v.createdAt(), v.description(), v.tags());
  }
}
