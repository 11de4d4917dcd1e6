package dev.infermint.problem;

import java.util.Map;

/**
 * Thrown anywhere in a service to answer with a problem+json body; {@link ProblemMapper} renders it.
 * Build instances through {@link Problems}, never directly, so that codes stay stable.
 */
public class ProblemException extends RuntimeException {

  private final Problem problem;
  private final Map<String, String> headers;

  /**
   * @param problem the body to answer with
   * @param headers extra response headers, e.g. {@code Retry-After}
   */
  public ProblemException(Problem problem, Map<String, String> headers) {
    super(problem.code() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public ProblemException(Problem problem) {
    this(problem, Map.of());
  }

  /** @return the problem body */
  public Problem problem() {
    return problem;
  }

  /** @return headers to add to the response */
  public Map<String, String> headers() {
    return headers;
  }

  /** @return the HTTP status */
  public int status() {
    return problem.status();
  }
}
