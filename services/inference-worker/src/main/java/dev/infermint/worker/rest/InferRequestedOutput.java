package dev.infermint.worker.rest;

import java.util.Map;

/**
 * An output asked for in an OIP request.
 *
 * @param name the model output's name
 * @param parameters OIP output parameters: {@code binary_data} (the binary tensor data extension); others are
 *     accepted and not used
 */
public record InferRequestedOutput(String name, Map<String, Object> parameters) {
}
