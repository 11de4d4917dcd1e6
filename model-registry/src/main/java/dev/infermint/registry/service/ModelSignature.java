package dev.infermint.registry.service;

import java.util.List;

/**
 * What an ONNX file takes and gives, read when it is uploaded.
 *
 * @param inputs the graph inputs a caller feeds (initializers excluded)
 * @param outputs the graph outputs
 * @param opset the version of the default ({@code ai.onnx}) operator set, null when the file imports none
 */
public record ModelSignature(List<TensorSignature> inputs, List<TensorSignature> outputs, Integer opset) {

  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
