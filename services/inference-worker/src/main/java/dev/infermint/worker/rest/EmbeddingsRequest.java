package dev.infermint.worker.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An OpenAI embeddings request ({@code POST /v1/embeddings}). {@code input} and {@code dimensions} are read as raw
 * JSON so that a wrong value is reported naming the field.
 *
 * @param model the embedding model's name
 * @param input a string or a list of strings
 * @param encodingFormat {@code float} (default) or {@code base64}
 * @param dimensions the number of dimensions wanted: one the model declares ({@code EmbeddingTraits}) or its width
 * @param user the end user, as OpenAI accepts it (not used)
 */
public record EmbeddingsRequest(String model, JsonNode input,
    @JsonProperty("encoding_format") String encodingFormat, JsonNode dimensions, String user) {
}
