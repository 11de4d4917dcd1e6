package dev.infermint.registry.rest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.problem.Problems;
import dev.infermint.registry.service.MetadataPatch;

/**
 * The body of {@code PATCH /api/v1/models/{model}} and {@code PATCH /api/v1/models/{model}/versions/{version}}: a JSON
 * merge patch (RFC 7396) of {@code {description?, tags?: {key: value}}}. Read from the tree, because a member that
 * is absent (unchanged) and one that is null (cleared, or a tag removed) mean different things.
 */
final class MetadataRequest {

  private MetadataRequest() {
  }

  /**
   * @param body the request body, null when empty
   * @return the change it asks for
   * @throws dev.infermint.problem.ProblemException 400 {@code malformed_request} when the body is not a JSON object;
   *     422 naming the member that is not editable or of the wrong type
   */
  static MetadataPatch parse(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw Problems.malformed("The body must be a JSON object: {\"description\"?: \"…\", \"tags\"?: {\"key\": "
          + "\"value\"}}");
    }
    if (!body.isObject()) {
      throw Problems.malformed("The body must be a JSON object, not "
          + body.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("description") && !name.equals("tags")) {
        throw Problems.validation(name, "cannot be changed here; a PATCH takes description and tags");
      }
    }
    boolean setsDescription = body.has("description");
    JsonNode description = body.get("description");
    if (setsDescription && !description.isNull() && !description.isTextual()) {
      throw Problems.validation("description", "must be a string, or null to clear it");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    JsonNode tagNode = body.get("tags");
    if (tagNode != null && !tagNode.isNull()) {
      if (!tagNode.isObject()) {
        throw Problems.validation("tags", "must be an object of string values, e.g. {\"stage\": \"beta\"}");
      }
      tagNode.fields().forEachRemaining(e -> {
        JsonNode value = e.getValue();
        if (!value.isNull() && !value.isTextual()) {
          throw Problems.validation("tags." + e.getKey(), "must be a string, or null to remove the tag");
        }
        tags.put(e.getKey(), value.isNull() ? null : value.asText());
      });
    }
    return new MetadataPatch(setsDescription, setsDescription && !description.isNull() ? description.asText() : null,
        tags);
  }
}
