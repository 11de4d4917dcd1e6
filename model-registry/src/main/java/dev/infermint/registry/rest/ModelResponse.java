package dev.infermint.registry.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.infermint.registry.service.ModelInfo;

/**
 * A model in {@code GET /api/v1/models} and {@code GET /api/v1/models/{model}}.
 *
 * @param name the model name
 * @param owner the owning tenant id, or {@code public} for the catalog
 * @param task the task of the newest upload
 * @param versions the version numbers, ascending
 * @param aliases alias name to version number
 * @param latestVersion the highest version, absent when every version was deleted
 * @param createdAt when the model was first uploaded
 * @param deployment the serving settings; only in the single-model answer, and only once set
 * @param description free text about the model, absent when none
 * @param tags string tags by key ({@code {}} when none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelResponse(String name, String owner, String task, List<Integer> versions,
    Map<String, Integer> aliases, Integer latestVersion, Instant createdAt, DeploymentResponse deployment,
    String description, Map<String, String> tags) {

  static ModelResponse of(ModelInfo m) {
    return new ModelResponse(m.name(), m.owner(), m.task(), m.versions(), m.aliases(), m.latestVersion(),
        m.createdAt(), m.deployment() == null ? null : DeploymentResponse.of(m.name(), m.deployment()),
        m.description(), m.tags());
  }
}
