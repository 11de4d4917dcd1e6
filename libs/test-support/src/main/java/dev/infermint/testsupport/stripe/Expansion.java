package dev.infermint.testsupport.stripe;

import java.util.List;
import java.util.Map;

/**
 * Stripe's {@code expand[]}: replaces an id at a dotted path ({@code product}, {@code data.product},
 * {@code items.data.price.product}) by a copy of the object it names. Ids are unique across types here (each type
 * has its own prefix), so the store finds the object by id alone.
 */
final class Expansion {

  private Expansion() {
  }

  /**
   * @param object a response object (a copy; it is changed in place)
   * @param paths the {@code expand} parameter
   * @param store where the expanded objects come from
   * @return {@code object}
   */
  static Map<String, Object> apply(Map<String, Object> object, List<String> paths, Store store) {
    for (String path : paths) {
      expand(object, path.split("\\."), 0, store);
    }
    return object;
  }

  @SuppressWarnings("unchecked")
  private static void expand(Object node, String[] parts, int i, Store store) {
    if (node instanceof List<?> list) {
      list.forEach(element -> expand(element, parts, i, store));
      return;
    }
    if (!(node instanceof Map) || i >= parts.length) {
      return;
    }
    Map<String, Object> map = (Map<String, Object>) node;
    Object child = map.get(parts[i]);
    if (child instanceof String id && store.get(id) != null) {
      child = Json.copy(store.get(id));
      map.put(parts[i], child);
    }
    if (i + 1 < parts.length) {
      expand(child, parts, i + 1, store);
    }
  }
}
