package dev.infermint.worker.service;

import java.util.Arrays;
import java.util.Optional;

/**
 * One input or output of a model's signature, as the registry read it from the ONNX graph.
 *
 * @param name the tensor name
 * @param datatype the OIP datatype name ({@code FP32}...), or the registry's own name when the worker does not know it
 * @param shape the dimensions, {@code -1} for a dynamic one; null when the registry does not know the shape
 */
public record TensorSpec(String name, String datatype, long[] shape) {

  /** @return the datatype, when the worker knows it */
  public Optional<Datatype> type() {
    return Datatype.parse(datatype);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && name.equals(t.name) && datatype.equals(t.datatype)
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + datatype + (shape == null ? "" : Arrays.toString(shape));
  }
}
