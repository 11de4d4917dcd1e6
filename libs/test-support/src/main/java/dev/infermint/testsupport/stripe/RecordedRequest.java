package dev.infermint.testsupport.stripe;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One call {@link StripeServer} received, as the client sent it.
 *
 * @param method HTTP method
 * @param path the path without the query string, e.g. {@code /v1/customers/cus_123}
 * @param pathTemplate the route it matched, e.g. {@code /v1/customers/{id}}, or the path itself when none did
 * @param params query and form parameters, parsed from bracket notation into nested maps and lists of strings
 * @param headers request headers, names in lower case
 * @param receivedAt when it arrived
 */
public record RecordedRequest(String method, String path, String pathTemplate, Map<String, Object> params,
    Map<String, List<String>> headers, Instant receivedAt) {

  /**
   * @param name a header name, any case
   * @return its first value, or null when absent
   */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * Reads a parameter by the key the client sent, e.g. {@code metadata[tenant_id]} or {@code line_items[0][price]}.
   *
   * @param bracketKey the form key in bracket notation
   * @return the string value, or null when absent or not a single value
   */
  public String param(String bracketKey) {
    Object current = params;
    for (String segment : FormParams.segments(bracketKey)) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(segment);
      } else if (current instanceof List<?> list && !segment.isEmpty() && segment.chars().allMatch(Character::isDigit)
          && Integer.parseInt(segment) < list.size()) {
        current = list.get(Integer.parseInt(segment));
      } else {
        return null;
      }
    }
    return current instanceof String s ? s : null;
  }
}
