package dev.infermint.worker.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An OIP inference response.
 *
 * @param modelName the model name
 * @param modelVersion the version that ran
 * @param id the request's id, when it had one
 * @param outputs the output tensors
 */
public record InferResponse(@JsonProperty("model_name") String modelName,
    @JsonProperty("model_version") String modelVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) String id,
    List<InferOutputTensor> outputs) {
}
