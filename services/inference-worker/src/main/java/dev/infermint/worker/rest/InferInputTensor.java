package dev.infermint.worker.rest;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One input tensor of an OIP request. Shape and data are read as raw JSON so that a wrong value is reported with the
 * tensor's name rather than as a JSON error.
 *
 * @param name the model input it feeds
 * @param shape the dimensions, a list of non-negative integers
 * @param datatype the OIP datatype, e.g. {@code FP32}
 * @param data the elements in row-major order, flat or nested; absent when sent as binary
 * @param parameters OIP tensor parameters: {@code binary_data_size} (the binary tensor data extension); others are
 *     accepted and not used
 */
public record InferInputTensor(String name, JsonNode shape, String datatype, JsonNode data,
    Map<String, Object> parameters) {
}
