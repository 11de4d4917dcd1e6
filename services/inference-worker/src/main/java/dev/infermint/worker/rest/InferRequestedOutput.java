package dev.infermint.worker.rest;

import java.util.Map;

/**
 * An output asked for in an OIP request.
 *
 * @param name the model output's name
 * @param parameters OIP output parameters (accepted, not used)
 */
public record InferRequestedOutput(String name, Map<String, Object> parameters) {
}
