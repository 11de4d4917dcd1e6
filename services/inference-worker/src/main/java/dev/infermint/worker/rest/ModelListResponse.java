package dev.infermint.worker.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's model list ({@code GET /v1/models}).
 *
 * @param object always {@code list}
 * @param data the models the tenant may call
 */
public record ModelListResponse(String object, List<Entry> data) {

  /**
   * One model.
   *
   * @param id the model name
   * @param object always {@code model}
   * @param created when it was registered, in epoch seconds
   * @param ownedBy its owner: the tenant's id, or {@code public} for the catalog
   */
  public record Entry(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
  }
}
