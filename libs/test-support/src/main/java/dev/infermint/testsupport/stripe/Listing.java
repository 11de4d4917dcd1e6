package dev.infermint.testsupport.stripe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Stripe's list and search envelopes, with {@code limit}, {@code starting_after} and {@code expand[]=data.x}. */
final class Listing {

  private Listing() {
  }

  /**
   * @param items the matching objects, newest first
   * @param request the call (for {@code limit}, {@code starting_after}, {@code expand})
   * @param url the list's path, e.g. {@code /v1/customers}
   * @param store where expanded objects come from
   * @return {@code {"object":"list","data":[...],"has_more":...,"url":...}}
   */
  static Map<String, Object> list(List<Map<String, Object>> items, ApiRequest request, String url, Store store) {
    List<Map<String, Object>> page = page(items, request);
    Map<String, Object> list = Json.obj("object", "list", "data", copies(page, request, store),
        "has_more", page.size() < remaining(items, request), "url", url);
    return list;
  }

  /** @return {@code {"object":"search_result",...}}; search has no cursor here, only {@code limit} */
  static Map<String, Object> search(List<Map<String, Object>> items, ApiRequest request, String url, Store store) {
    List<Map<String, Object>> page = items.subList(0, Math.min(items.size(), limit(request)));
    return Json.obj("object", "search_result", "data", copies(page, request, store),
        "has_more", page.size() < items.size(), "next_page", null, "url", url);
  }

  /** @return a list object built from sub-objects (subscription items, invoice lines), all on one page */
  static Map<String, Object> embedded(List<Map<String, Object>> items, String url) {
    return Json.obj("object", "list", "data", items, "has_more", false, "total_count", items.size(), "url", url);
  }

  private static List<Object> copies(List<Map<String, Object>> page, ApiRequest request, Store store) {
    List<String> expand = request.expand().stream().filter(p -> p.startsWith("data."))
        .map(p -> p.substring("data.".length())).toList();
    List<Object> data = new ArrayList<>();
    for (Map<String, Object> item : page) {
      data.add(Expansion.apply(Json.copy(item), expand, store));
    }
    return data;
  }

  private static int limit(ApiRequest request) {
    Long limit = request.longValue("limit");
    if (limit == null) {
      return 10;
    }
    if (limit < 1 || limit > 100) {
      throw StripeError.invalid("This value must be greater than or equal to 1 and less than or equal to 100.",
          "limit");
    }
    return limit.intValue();
  }

  private static int start(List<Map<String, Object>> items, ApiRequest request) {
    String after = request.string("starting_after");
    if (after == null) {
      return 0;
    }
    for (int i = 0; i < items.size(); i++) {
      if (after.equals(items.get(i).get("id"))) {
        return i + 1;
      }
    }
    throw StripeError.noSuch("object", after, "starting_after");
  }

  private static int remaining(List<Map<String, Object>> items, ApiRequest request) {
    return items.size() - start(items, request);
  }

  private static List<Map<String, Object>> page(List<Map<String, Object>> items, ApiRequest request) {
    int from = start(items, request);
    return items.subList(from, Math.min(items.size(), from + limit(request)));
  }
}
