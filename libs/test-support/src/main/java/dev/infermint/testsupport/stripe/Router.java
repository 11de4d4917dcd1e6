package dev.infermint.testsupport.stripe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code METHOD /path/{var}} templates to handlers. When several templates match, the one with more literal
 * segments wins, so {@code /v1/customers/search} beats {@code /v1/customers/{id}}.
 */
final class Router {

  /** Runs one call; returns the JSON body (a map) or throws a {@link StripeError}. */
  @FunctionalInterface
  interface Handler {
    Map<String, Object> handle(ApiRequest request);
  }

  /** A matched route: its template and the values of its variables. */
  record Match(String template, Map<String, String> pathParams, Handler handler) {
  }

  private record Route(String method, String template, String[] segments, Handler handler) {
    int literals() {
      int n = 0;
      for (String s : segments) {
        if (!s.startsWith("{")) {
          n++;
        }
      }
      return n;
    }
  }

  private final List<Route> routes = new ArrayList<>();

  void get(String template, Handler handler) {
    add("GET", template, handler);
  }

  void post(String template, Handler handler) {
    add("POST", template, handler);
  }

  void delete(String template, Handler handler) {
    add("DELETE", template, handler);
  }

  private void add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, split(template), handler));
  }

  /** @return the best route for the call, or null when none matches */
  Match match(String method, String path) {
    String[] parts = split(path);
    Route best = null;
    Map<String, String> bestVars = null;
    for (Route route : routes) {
      if (!route.method().equals(method) || route.segments().length != parts.length) {
        continue;
      }
      Map<String, String> vars = bind(route.segments(), parts);
      if (vars != null && (best == null || route.literals() > best.literals())) {
        best = route;
        bestVars = vars;
      }
    }
    return best == null ? null : new Match(best.template(), bestVars, best.handler());
  }

  /** @return the template any method would match for this path (for counting calls), or the path itself */
  String templateOf(String method, String path) {
    Match m = match(method, path);
    return m == null ? path : m.template();
  }

  private static Map<String, String> bind(String[] template, String[] parts) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      if (template[i].startsWith("{")) {
        vars.put(template[i].substring(1, template[i].length() - 1), parts[i]);
      } else if (!template[i].equals(parts[i])) {
        return null;
      }
    }
    return vars;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.split("/");
  }
}
