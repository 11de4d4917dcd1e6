package dev.infermint.gateway.routing;

import java.util.List;

import io.vertx.core.http.HttpMethod;

/**
 * The public inference surface as canonical route templates: the one table that both routing and metering read, so
 * that whether a call is metered can never depend on how its path is spelled.
 *
 * <p>Matching is strict and on the raw path as the client sent it: a path with a trailing or doubled slash, a dot
 * segment, any percent-encoding, or a segment whose case differs from the template matches nothing and answers 404.
 * A parameter segment takes {@code [A-Za-z0-9][A-Za-z0-9._-]*} (at most 128 characters). So every spelling of a
 * metered path is either exactly that metered route or 404, and what is forwarded to a worker is the canonical path
 * rebuilt from the template, never the client's bytes.
 */
public final class RouteTable {

  /** What the gateway does with a matched route. */
  public enum Kind {
    /** Answered by the gateway itself, no auth. */
    LOCAL,
    /** To a worker with an API key, not metered. */
    PROXIED,
    /** To a worker with an API key, through the quota, metered: exactly one usage event per admitted call. */
    METERED
  }

  /**
   * One route.
   *
   * @param method the one method it takes
   * @param template the canonical path, parameters as {@code {name}}
   * @param kind what the gateway does with it
   */
  public record Route(HttpMethod method, String template, Kind kind) {

    String[] segments() {
      return template.substring(1).split("/", -1);
    }
  }

  /**
   * A matched route.
   *
   * @param route the route
   * @param path the canonical path (equal to the raw path, which matched exactly)
   * @param model the {@code {model}} parameter, or null
   * @param version the {@code {version}} parameter, or null
   */
  public record Match(Route route, String path, String model, String version) {
  }

  /** The table. {@code GET /v2/health/*} answer without auth; everything else needs an API key. */
  public static final List<Route> ROUTES = List.of(
      new Route(HttpMethod.GET, "/v2/health/live", Kind.LOCAL),
      new Route(HttpMethod.GET, "/v2/health/ready", Kind.LOCAL),
      new Route(HttpMethod.GET, "/v2", Kind.PROXIED),
      new Route(HttpMethod.GET, "/v2/models/{model}", Kind.PROXIED),
      new Route(HttpMethod.GET, "/v2/models/{model}/ready", Kind.PROXIED),
      new Route(HttpMethod.GET, "/v2/models/{model}/versions/{version}", Kind.PROXIED),
      new Route(HttpMethod.GET, "/v2/models/{model}/versions/{version}/ready", Kind.PROXIED),
      new Route(HttpMethod.POST, "/v2/models/{model}/infer", Kind.METERED),
      new Route(HttpMethod.POST, "/v2/models/{model}/versions/{version}/infer", Kind.METERED),
      new Route(HttpMethod.GET, "/v1/models", Kind.PROXIED),
      new Route(HttpMethod.POST, "/v1/embeddings", Kind.METERED));

  private static final int MAX_PARAM = 128;
  private static final String[][] SEGMENTS = ROUTES.stream().map(Route::segments).toArray(String[][]::new);

  private RouteTable() {
  }

  /** The outcome of a lookup: a match, a known path with another method, or nothing. */
  public sealed interface Lookup permits Found, WrongMethod, NotFound {
  }

  /** @param match the matched route */
  public record Found(Match match) implements Lookup {
  }

  /** @param allowed the methods the path takes, for {@code Allow} */
  public record WrongMethod(String allowed) implements Lookup {
  }

  /** No route has this path. */
  public record NotFound() implements Lookup {
  }

  private static final NotFound NOT_FOUND = new NotFound();

  /**
   * @param method the request's method
   * @param rawPath the path exactly as the client sent it (not decoded, not normalised)
   * @return what the table says
   */
  public static Lookup lookup(HttpMethod method, String rawPath) {
    if (rawPath == null || rawPath.length() < 2 || rawPath.charAt(0) != '/' || rawPath.indexOf('%') >= 0) {
      return NOT_FOUND;
    }
    String[] parts = rawPath.substring(1).split("/", -1);
    String allowed = null;
    for (int r = 0; r < SEGMENTS.length; r++) {
      String[] template = SEGMENTS[r];
      if (template.length != parts.length) {
        continue;
      }
      String model = null;
      String version = null;
      boolean matches = true;
      for (int i = 0; i < template.length && matches; i++) {
        String t = template[i];
        if (t.charAt(0) == '{') {
          if (!isParam(parts[i])) {
            matches = false;
          } else if (t.equals("{model}")) {
            model = parts[i];
          } else {
            version = parts[i];
          }
        } else {
          matches = t.equals(parts[i]);
        }
      }
      if (!matches) {
        continue;
      }
      Route route = ROUTES.get(r);
      if (route.method().equals(method)) {
        return new Found(new Match(route, rawPath, model, version));
      }
      allowed = allowed == null ? route.method().name() : allowed + ", " + route.method().name();
    }
    return allowed == null ? NOT_FOUND : new WrongMethod(allowed);
  }

  private static boolean isParam(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_PARAM || !isAlnum(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
