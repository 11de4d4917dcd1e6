package dev.infermint.testsupport.stripe;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A call as a handler sees it: the path variables of the route it matched and typed reads of its parameters, each
 * failing the way Stripe does (400 naming the parameter) when a value is missing or malformed.
 */
final class ApiRequest {

  private final String method;
  private final String path;
  private final Map<String, String> pathParams;
  private final Map<String, Object> params;

  ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, Object> params) {
    this.method = method;
    this.path = path;
    this.pathParams = pathParams;
    this.params = params;
  }

  String method() {
    return method;
  }

  String path() {
    return path;
  }

  /** @return the value of {@code {name}} in the route's template */
  String pathParam(String name) {
    return pathParams.get(name);
  }

  Map<String, Object> params() {
    return params;
  }

  boolean has(String name) {
    return params.get(name) != null;
  }

  /** @return the string value, or null when absent */
  String string(String name) {
    Object v = params.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw StripeError.invalid("Invalid string: " + name, name);
    }
    return s;
  }

  String requiredString(String name) {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      throw StripeError.missingParam(name);
    }
    return v;
  }

  /** @return the integer value, or null when absent */
  Long longValue(String name) {
    return parseLong(string(name), name);
  }

  static Long parseLong(String value, String param) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw StripeError.invalid("Invalid integer: " + value, param);
    }
  }

  static BigDecimal parseDecimal(String value, String param) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw StripeError.invalid("Invalid decimal: " + value, param);
    }
  }

  /** @return the boolean value, or {@code fallback} when absent */
  boolean bool(String name, boolean fallback) {
    String v = string(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    if (!v.equals("true") && !v.equals("false")) {
      throw StripeError.invalid("Invalid boolean: " + v, name);
    }
    return Boolean.parseBoolean(v);
  }

  /** @return a nested hash such as {@code metadata}, empty when absent */
  @SuppressWarnings("unchecked")
  Map<String, Object> map(String name) {
    Object v = params.get(name);
    if (v == null || "".equals(v)) {
      return new LinkedHashMap<>();
    }
    if (!(v instanceof Map)) {
      throw StripeError.invalid("Invalid object: " + name, name);
    }
    return (Map<String, Object>) v;
  }

  /** @return {@code metadata} as string pairs (Stripe's metadata holds strings only) */
  Map<String, Object> metadata(String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    map(name).forEach((k, v) -> {
      if (!(v instanceof String)) {
        throw StripeError.invalid("Invalid metadata value for " + k, name + "[" + k + "]");
      }
      if (!((String) v).isEmpty()) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** @return a list parameter, empty when absent; a single value counts as a one-element list */
  List<Object> list(String name) {
    Object v = params.get(name);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return List.copyOf(l);
    }
    if (v instanceof Map<?, ?> m) {
      return List.copyOf(m.values());
    }
    return List.of(v);
  }

  /** @return the {@code expand} list as strings */
  List<String> expand() {
    return list("expand").stream().map(String::valueOf).toList();
  }
}
