package dev.infermint.worker.rest;

import java.util.List;
import java.util.Map;

/**
 * An OIP inference request ({@code POST /v2/models/{model}[/versions/{version}]/infer}).
 *
 * @param id an optional id, echoed in the response
 * @param inputs the input tensors, one per model input
 * @param outputs the outputs wanted; all of them when absent
 * @param parameters OIP request parameters: {@code binary_data_output} (the binary tensor data extension); others
 *     are accepted and not used
 */
public record InferRequest(String id, List<InferInputTensor> inputs, List<InferRequestedOutput> outputs,
    Map<String, Object> parameters) {
}
