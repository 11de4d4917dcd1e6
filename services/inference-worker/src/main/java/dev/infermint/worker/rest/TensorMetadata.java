package dev.infermint.worker.rest;

/**
 * One input or output in OIP model metadata.
 *
 * @param name the tensor name
 * @param datatype the OIP datatype, e.g. {@code FP32}
 * @param shape the dimensions, {@code -1} for a dynamic one
 */
public record TensorMetadata(String name, String datatype, long[] shape) {
}
