package dev.infermint.worker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.infermint.worker.service.ModelCache;

/**
 * One model of the worker's repository index (Triton's model repository extension), with what Infermint adds.
 *
 * @param name the model name
 * @param version the version
 * @param state {@code READY}, {@code LOADING} or {@code UNAVAILABLE}
 * @param reason why it is not ready; empty when it is
 * @param owner the owning tenant id, or {@code public} (names are scoped to their tenant)
 * @param device the device it runs, or would run, on
 * @param memoryBytes what it weighs against the worker's memory budget; 0 before its file was fetched
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RepositoryIndexEntry(String name, String version, String state, String reason, String owner,
    String device, long memoryBytes) {

  /**
   * @param s a model's status
   * @return its index entry
   */
  public static RepositoryIndexEntry of(ModelCache.Status s) {
    return new RepositoryIndexEntry(s.model().name(), s.model().version(), s.state().name(), s.reason(),
        s.model().owner(), s.device(), s.weight());
  }
}
