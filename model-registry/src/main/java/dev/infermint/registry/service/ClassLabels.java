package dev.infermint.registry.service;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.problem.Problems;

/**
 * Parses the {@code labels} of an upload: either a JSON array of strings ({@code ["cat","dog"]}) or plain text with
 * one label per line (a trailing newline and Windows line ends are fine). Label {@code i} names output class
 * {@code i}, so blank labels in the middle are refused rather than silently shifting the classes.
 */
public final class ClassLabels {

  /** Longest label accepted. */
  public static final int MAX_LABEL_LENGTH = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClassLabels() {
  }

  /**
   * @param text the labels as sent, may be null or blank
   * @return the labels, or null when none were sent
   * @throws dev.infermint.problem.ProblemException 422 naming {@code labels} when they cannot be read
   */
  public static List<String> parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String trimmed = text.strip();
    List<String> labels = new ArrayList<>();
    if (trimmed.startsWith("[")) {
      JsonNode node;
      try {
        node = JSON.readTree(trimmed);
      } catch (JsonProcessingException e) {
        throw Problems.validation("labels", "looks like a JSON array but is not valid JSON: "
            + e.getOriginalMessage());
      }
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        if (!item.isTextual()) {
          throw Problems.validation("labels", "item " + i + " of the JSON array is not a string");
        }
        labels.add(check(item.asText(), "item " + i));
      }
    } else {
      String[] lines = text.split("\r?\n", -1);
      int end = lines.length;
      while (end > 0 && lines[end - 1].isBlank()) {
        end--;
      }
      for (int i = 0; i < end; i++) {
        labels.add(check(lines[i].strip(), "line " + (i + 1)));
      }
    }
    return labels.isEmpty() ? null : List.copyOf(labels);
  }

  private static String check(String label, String where) {
    if (label.isBlank()) {
      throw Problems.validation("labels", where + " is empty; label i names output class i, so none may be blank");
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      throw Problems.validation("labels", where + " is longer than " + MAX_LABEL_LENGTH + " characters");
    }
    return label;
  }
}
