package dev.infermint.registry.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model with its versions and aliases, as the service hands it out.
 *
 * @param name the model name
 * @param owner the owning tenant id, or {@code public}
 * @param task the task of the newest upload
 * @param versions the version numbers, ascending
 * @param aliases alias name to version
 * @param latestVersion the highest version, null when every version was deleted
 * @param createdAt when the model was first uploaded
 * @param deployment the serving settings, null when never set
 * @param description free text about the model, null when none
 * @param tags string tags by key, sorted; empty when none
 */
public record ModelInfo(String name, String owner, String task, List<Integer> versions, Map<String, Integer> aliases,
    Integer latestVersion, Instant createdAt, DeploymentSettings deployment, String description,
    Map<String, String> tags) {
}
