package dev.infermint.testsupport.stripe;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses Stripe's form encoding ({@code application/x-www-form-urlencoded} with bracket notation) into nested maps
 * and lists: {@code metadata[tenant_id]=t1} becomes {@code {metadata={tenant_id=t1}}}, {@code line_items[0][price]=p}
 * and {@code lookup_keys[]=a} become lists. Values stay strings, as Stripe receives them.
 */
final class FormParams {

  private FormParams() {
  }

  /** A map whose keys are list indexes; turned into a {@link List} once every pair is read. */
  private static final class Indexed extends LinkedHashMap<String, Object> {
  }

  /**
   * @param encoded a query string or form body, possibly null or empty
   * @return the parameters as nested {@code Map<String, Object>} / {@code List<Object>} / {@code String}
   */
  static Map<String, Object> parse(String encoded) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return root;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      insert(root, segments(key), value);
    }
    return normalizeMap(root);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** {@code a[b][0][]} to {@code [a, b, 0, ""]}. */
  static List<String> segments(String key) {
    List<String> out = new ArrayList<>();
    int open = key.indexOf('[');
    if (open < 0) {
      out.add(key);
      return out;
    }
    out.add(key.substring(0, open));
    int i = open;
    while (i < key.length() && key.charAt(i) == '[') {
      int close = key.indexOf(']', i);
      if (close < 0) {
        break;
      }
      out.add(key.substring(i + 1, close));
      i = close + 1;
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void insert(Map<String, Object> root, List<String> path, String value) {
    Map<String, Object> current = root;
    for (int i = 0; i < path.size() - 1; i++) {
      String segment = keyIn(current, path.get(i));
      String next = path.get(i + 1);
      Object child = current.get(segment);
      if (!(child instanceof Map)) {
        child = isIndex(next) ? new Indexed() : new LinkedHashMap<String, Object>();
        current.put(segment, child);
      }
      current = (Map<String, Object>) child;
    }
    current.put(keyIn(current, path.get(path.size() - 1)), value);
  }

  /** An empty segment ({@code []}) appends: it takes the next free index. */
  private static String keyIn(Map<String, Object> container, String segment) {
    return segment.isEmpty() ? String.valueOf(container.size()) : segment;
  }

  private static boolean isNumber(String segment) {
    return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
  }

  private static boolean isIndex(String segment) {
    return segment.isEmpty() || segment.chars().allMatch(Character::isDigit);
  }

  @SuppressWarnings("unchecked")
  private static Object normalize(Object value) {
    if (value instanceof Indexed indexed && indexed.keySet().stream().allMatch(FormParams::isNumber)) {
      TreeMap<Integer, Object> ordered = new TreeMap<>();
      indexed.forEach((k, v) -> ordered.put(Integer.parseInt(k), normalize(v)));
      return new ArrayList<>(ordered.values());
    }
    if (value instanceof Map) {
      return normalizeMap((Map<String, Object>) value);
    }
    return value;
  }

  private static Map<String, Object> normalizeMap(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(k, normalize(v)));
    return out;
  }
}
