package dev.infermint.registry.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.infermint.problem.Problems;

/**
 * A change to the editable metadata of a model or a version, with JSON merge-patch meaning (RFC 7396, as MLflow's
 * update calls): a description that is not {@link #setsDescription() set} stays; one set to null is cleared; each
 * tag given a value is set, each given null is removed, the others stay.
 *
 * @param setsDescription whether the description changes
 * @param description the new description, null to clear it
 * @param tags tag key to new value, a null value removing the tag
 */
public record MetadataPatch(boolean setsDescription, String description, Map<String, String> tags) {

  /** Longest description, in characters. */
  public static final int MAX_DESCRIPTION = 5000;
  /** Most tags one model or version holds. */
  public static final int MAX_TAGS = 50;
  /** Longest tag key. */
  public static final int MAX_KEY = 250;
  /** Longest tag value. */
  public static final int MAX_VALUE = 5000;
  /** Tag keys as MLflow allows them: letters, digits, and {@code _ - . : /} and spaces inside. */
  public static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_.:/-]([A-Za-z0-9_.:/ -]*[A-Za-z0-9_.:/-])?$");

  /**
   * @throws dev.infermint.problem.ProblemException 422 naming {@code description}, {@code tags} or
   *     {@code tags.<key>} when a value is over its limit or a key is malformed
   */
  public MetadataPatch {
    if (description != null && description.length() > MAX_DESCRIPTION) {
      throw Problems.validation("description", "is " + description.length() + " characters long; at most "
          + MAX_DESCRIPTION);
    }
    Map<String, String> copy = new LinkedHashMap<>();
    if (tags != null) {
      if (tags.size() > MAX_TAGS) {
        throw Problems.validation("tags", "has " + tags.size() + " entries; a model or version holds at most "
            + MAX_TAGS + " tags");
      }
      tags.forEach((key, value) -> {
        if (key == null || key.length() > MAX_KEY || !KEY.matcher(key).matches()) {
          throw Problems.validation("tags", "key '" + abbreviate(key) + "' must be 1 to " + MAX_KEY
              + " characters: letters, digits, _ - . : / (and spaces inside)");
        }
        if (value != null && value.length() > MAX_VALUE) {
          throw Problems.validation("tags." + key, "is " + value.length() + " characters long; at most " + MAX_VALUE);
        }
        copy.put(key, value);
      });
    }
    tags = Collections.unmodifiableMap(copy);
  }

  /** @return whether the patch changes nothing at all */
  public boolean isEmpty() {
    return !setsDescription && tags.isEmpty();
  }

  /**
   * Applies the tag changes.
   *
   * @param current the stored tags
   * @return the tags after the patch
   * @throws dev.infermint.problem.ProblemException 422 naming {@code tags} when more than {@link #MAX_TAGS} would
   *     remain
   */
  public Map<String, String> mergeTags(Map<String, String> current) {
    Map<String, String> merged = new LinkedHashMap<>(current == null ? Map.of() : current);
    tags.forEach((key, value) -> {
      if (value == null) {
        merged.remove(key);
      } else {
        merged.put(key, value);
      }
    });
    if (merged.size() > MAX_TAGS) {
      throw Problems.validation("tags", "would hold " + merged.size() + " tags; at most " + MAX_TAGS
          + " (remove some with null values)");
    }
    return merged;
  }

  private static String abbreviate(String key) {
    if (key == null) {
      return "null";
    }
    return key.length() > 40 ? key.substring(0, 40) + "…" : key;
  }
}
