package dev.infermint.registry.service;

import java.util.List;

/**
 * One input or output of a model, as the Open Inference Protocol describes tensors.
 *
 * @param name the tensor name in the graph
 * @param datatype the OIP datatype ({@code FP32}, {@code INT64}, {@code BYTES} for strings...)
 * @param shape the dimensions, {@code -1} where the size is symbolic or unknown
 */
public record TensorSignature(String name, String datatype, List<Long> shape) {

  public TensorSignature {
    shape = shape == null ? List.of() : List.copyOf(shape);
  }
}
