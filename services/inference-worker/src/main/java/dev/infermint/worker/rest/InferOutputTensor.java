package dev.infermint.worker.rest;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One output tensor of an OIP response.
 *
 * @param name the model output's name
 * @param shape its dimensions
 * @param datatype its OIP datatype
 * @param parameters {@code binary_data_size} when the data follows the JSON as binary; else absent
 * @param data its elements, flat, in row-major order (numbers, booleans or strings); absent when sent as binary
 */
public record InferOutputTensor(String name, long[] shape, String datatype,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> parameters,
    @JsonInclude(JsonInclude.Include.NON_NULL) Object data) {
}
