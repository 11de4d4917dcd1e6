package dev.infermint.worker.client;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One graph input or output as the registry describes it.
 *
 * @param name the tensor name
 * @param datatype the element type (OIP names such as {@code FP32}; ONNX names are understood too)
 * @param shape the dimensions: a number, {@code -1} or a symbolic name for a dynamic one; null when unknown
 */
public record RegistryTensor(String name, String datatype, List<JsonNode> shape) {
}
