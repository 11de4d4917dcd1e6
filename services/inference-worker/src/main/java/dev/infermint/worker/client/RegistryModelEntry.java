package dev.infermint.worker.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One model visible to a tenant ({@code GET /internal/models?tenant=}).
 *
 * @param name the model name
 * @param owner the owning tenant id, or {@code public}
 * @param task the model's task
 * @param createdAt when it was registered (ISO-8601, or epoch seconds)
 */
public record RegistryModelEntry(String name, String owner, String task, JsonNode createdAt) {
}
