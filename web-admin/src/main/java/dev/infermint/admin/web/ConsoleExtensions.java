package dev.infermint.admin.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Small formatting helpers the templates call on values of the gateway's answers: {@code {t.status.lower}}. */
@TemplateExtension
public final class ConsoleExtensions {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private ConsoleExtensions() {
  }

  /**
   * @param value any value
   * @return its text in lower case, for CSS class names
   */
  static String lower(Object value) {
    return absent(value) ? "" : value.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * @param value an ISO-8601 instant, or epoch seconds
   * @return it as {@code 2026-12-02 23:41 UTC}, or {@code —} when absent
   */
  static String when(Object value) {
    return whenOr(value, "—");
  }

  /**
   * @param value an ISO-8601 instant, or epoch seconds, or absent
   * @param fallback what to show when it is absent, e.g. {@code never}
   * @return it as {@code 2026-12-02 23:41 UTC}, or the fallback
   */
  static String whenOr(Object value, String fallback) {
    if (absent(value) || value.toString().isBlank()) {
      return fallback;
    }
    try {
      if (value instanceof Number n) {
        return WHEN.format(Instant.ofEpochSecond(n.longValue()));
      }
      return WHEN.format(Instant.parse(value.toString()));
    } catch (DateTimeParseException e) {
      return value.toString();
    }
  }

  /** A JSON null, or a key the answer does not have (Qute's not-found marker). */
  private static boolean absent(Object value) {
    return value == null || value instanceof io.quarkus.qute.Results.NotFound;
  }

  /**
   * @param value a size in bytes
   * @return it in B, KB, MB or GB
   */
  static String bytes(Object value) {
    if (!(value instanceof Number n)) {
      return absent(value) ? "—" : value.toString();
    }
    double b = n.doubleValue();
    String[] units = { "B", "KB", "MB", "GB", "TB" };
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return u == 0 ? (long) b + " B" : String.format(Locale.ROOT, "%.1f %s", b, units[u]);
  }

  /**
   * @param value maps, lists and scalars
   * @return it as indented JSON
   */
  static String json(Object value) {
    if (absent(value)) {
      return "";
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /**
   * @param value a list, or anything
   * @return a list's items joined by {@code , }, or the value's text
   */
  static String joined(Object value) {
    if (value instanceof Iterable<?> items) {
      StringBuilder sb = new StringBuilder();
      for (Object item : items) {
        sb.append(sb.isEmpty() ? "" : ", ").append(item);
      }
      return sb.toString();
    }
    return value == null ? "" : value.toString();
  }

  /**
   * @param value a list, or a comma-separated text
   * @param item an item
   * @return whether the list holds the item
   */
  static boolean has(Object value, Object item) {
    if (value instanceof String text) {
      return java.util.Arrays.asList(text.split(",")).contains(String.valueOf(item));
    }
    if (value instanceof Iterable<?> items) {
      for (Object i : items) {
        if (i != null && i.toString().equals(String.valueOf(item))) {
          return true;
        }
      }
    }
    return false;
  }
}
