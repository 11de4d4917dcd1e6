package dev.infermint.problem;

import java.util.Map;

/**
 * Every failure an Infermint service answers, as static factories with stable {@code code}s.
 * One place, so that the same failure always reads the same way (as bucket4j's {@code BucketExceptions}).
 */
public final class Problems {

  private Problems() {
  }

  /**
   * Builds a problem.
   *
   * @param status the HTTP status
   * @param code the stable code
   * @param title the summary of the kind of problem
   * @param detail what happened this time
   * @return the exception to throw
   */
  public static ProblemException of(int status, String code, String title, String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + code, title, status, detail, code, null, Map.of()));
  }

  /** 400 {@code malformed_request}: the body is not valid JSON or not of the expected shape. */
  public static ProblemException malformed(String detail) {
    return of(400, "malformed_request", "Malformed request", detail);
  }

  /** 400 {@code invalid_input}: a value in the request is wrong (a tensor's shape, a datatype...). */
  public static ProblemException invalidInput(String detail) {
    return of(400, "invalid_input", "Invalid input", detail);
  }

  /** 422 {@code validation_failed} naming the field that is wrong. */
  public static ProblemException validation(String field, String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "validation_failed", "Validation failed", 422,
        field + ": " + detail, "validation_failed", null, Map.of("field", field)));
  }

  /** 401 {@code unauthenticated}: no or unknown credentials. */
  public static ProblemException unauthenticated(String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "unauthenticated", "Unauthenticated", 401, detail,
        "unauthenticated", null, Map.of()), Map.of("WWW-Authenticate", "Bearer realm=\"infermint\""));
  }

  /** 403 {@code forbidden}: known caller, not allowed to do this. */
  public static ProblemException forbidden(String detail) {
    return of(403, "forbidden", "Forbidden", detail);
  }

  /** 404 {@code not_found} for a thing of the given kind; also answered for other tenants' things. */
  public static ProblemException notFound(String kind, String id) {
    return of(404, "not_found", "Not found", kind + " '" + id + "' was not found");
  }

  /** 409 {@code conflict}: the thing already exists or is in a state that forbids the change. */
  public static ProblemException conflict(String detail) {
    return of(409, "conflict", "Conflict", detail);
  }

  /** 413 {@code payload_too_large}. */
  public static ProblemException tooLarge(String detail) {
    return of(413, "payload_too_large", "Payload too large", detail);
  }

  /** 415 {@code unsupported_media_type}. */
  public static ProblemException unsupportedMediaType(String detail) {
    return of(415, "unsupported_media_type", "Unsupported media type", detail);
  }

  /**
   * 429 {@code rate_limited} or {@code quota_exceeded} with {@code Retry-After}.
   *
   * @param code {@code rate_limited} (per minute) or {@code quota_exceeded} (monthly)
   * @param detail which limit was hit
   * @param retryAfterSeconds when the caller may try again
   * @return the exception to throw
   */
  public static ProblemException tooManyRequests(String code, String detail, long retryAfterSeconds) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + code, "Too many requests", 429, detail, code, null,
        Map.of()), Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
  }

  /** 502 {@code upstream_failed}: a service behind this one answered wrongly. */
  public static ProblemException upstream(String detail) {
    return of(502, "upstream_failed", "Upstream failed", detail);
  }

  /** 503 {@code unavailable}: a dependency is down or the service is not ready. */
  public static ProblemException unavailable(String detail) {
    return of(503, "unavailable", "Service unavailable", detail);
  }

  /**
   * 503 {@code quota_unavailable} with {@code Retry-After}: the quota store cannot answer and the gateway fails
   * closed.
   *
   * @param detail what could not be checked
   * @return the exception to throw
   */
  public static ProblemException quotaUnavailable(String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "quota_unavailable", "Quota store unavailable", 503,
        detail, "quota_unavailable", null, Map.of()), Map.of("Retry-After", "1"));
  }

  /** 504 {@code upstream_timeout}: a service behind this one did not answer before the call's deadline. */
  public static ProblemException upstreamTimeout(String detail) {
    return of(504, "upstream_timeout", "Upstream timeout", detail);
  }

  /** 405 {@code method_not_allowed} naming the methods the path takes (in {@code Allow}). */
  public static ProblemException methodNotAllowed(String method, String path, String allowed) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "method_not_allowed", "Method not allowed", 405,
        method + " is not allowed on " + path + "; allowed: " + allowed, "method_not_allowed", null, Map.of()),
        Map.of("Allow", allowed));
  }

  /** 500 {@code internal_error}: a bug; the detail never leaks internals. */
  public static ProblemException internal(String requestId) {
    return of(500, "internal_error", "Internal error",
        "An unexpected error occurred" + (requestId == null ? "" : " (request " + requestId + ")"));
  }
}
