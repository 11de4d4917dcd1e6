package dev.infermint.registry.rest;

import java.time.Instant;

/**
 * A model a tenant can run, in {@code GET /internal/models}.
 *
 * @param name the model name
 * @param owner the owning tenant id, or {@code public}
 * @param task the task
 * @param createdAt when it was first uploaded
 */
public record InternalModelEntry(String name, String owner, String task, Instant createdAt) {
}
