package dev.infermint.problem;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, as every Infermint service answers a 4xx or 5xx.
 *
 * @param type a URI naming the kind of problem ({@code https://infermint.dev/problems/<code>})
 * @param title a short, human-readable summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong in this occurrence, naming the field, tensor or limit involved
 * @param code the stable machine-readable code, e.g. {@code rate_limited}
 * @param instance the request id of the failing request, when known
 * @param extensions further members (for example {@code field}), serialised at the top level
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance,
    @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

  /** The media type of every problem body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Base of the {@code type} URIs. */
  public static final String TYPE_BASE = "https://infermint.dev/problems/";

  public Problem {
    extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  /** Extension members such as {@code field}, written beside the standard ones. */
  @JsonAnyGetter
  public Map<String, Object> any() {
    return extensions;
  }

  /** This problem with the given request id as its {@code instance}. */
  public Problem withInstance(String requestId) {
    return new Problem(type, title, status, detail, code, requestId, extensions);
  }
}
