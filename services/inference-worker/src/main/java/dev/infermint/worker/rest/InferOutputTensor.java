package dev.infermint.worker.rest;

/**
 * One output tensor of an OIP response.
 *
 * @param name the model output's name
 * @param shape its dimensions
 * @param datatype its OIP datatype
 * @param data its elements, flat, in row-major order (numbers, booleans or strings)
 */
public record InferOutputTensor(String name, long[] shape, String datatype, Object data) {
}
