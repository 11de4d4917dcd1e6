package dev.infermint.worker.rest;

import java.util.List;

/**
 * OIP model metadata ({@code GET /v2/models/{model}[/versions/{version}]}).
 *
 * @param name the model name
 * @param versions the version these inputs and outputs describe
 * @param platform always {@code onnxruntime_onnx}
 * @param inputs the model's inputs
 * @param outputs the model's outputs
 */
public record ModelMetadataResponse(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
    List<TensorMetadata> outputs) {

  /** The platform name of ONNX models, as Triton and KServe write it. */
  public static final String PLATFORM = "onnxruntime_onnx";
}
