package dev.infermint.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Maps every exception a resource can throw to a problem+json response; the one mapper of each service. */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  /** Renders a problem raised on purpose. */
  @ServerExceptionMapper
  public Response mapProblem(ProblemException e, HttpHeaders headers) {
    return toResponse(e, headers);
  }

  /**
   * JSON of the wrong shape. Declared for this exact type because quarkus-rest-jackson ships its own mapper for it,
   * which would otherwise answer plain JSON.
   */
  @ServerExceptionMapper(priority = 1)
  public Response mapMismatchedInput(MismatchedInputException e, HttpHeaders headers) {
    return mapJson(e, headers);
  }

  /** A body that is not JSON at all; quarkus-rest-jackson also ships a mapper for this type. */
  @ServerExceptionMapper(priority = 1)
  public Response mapJsonParse(com.fasterxml.jackson.core.JsonParseException e, HttpHeaders headers) {
    return mapJson(e, headers);
  }

  /** A body that is not JSON, or JSON of the wrong shape, names where it broke. */
  @ServerExceptionMapper(priority = 1)
  public Response mapJson(JsonProcessingException e, HttpHeaders headers) {
    String where = "";
    if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (var ref : mie.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      where = " at '" + path + "'";
    }
    return toResponse(Problems.malformed("Request body is not valid JSON of the expected shape" + where + ": "
        + e.getOriginalMessage()), headers);
  }

  /** JAX-RS's own failures (unknown path, wrong method, wrong media type) keep their status. */
  @ServerExceptionMapper
  public Response mapWebApplication(WebApplicationException e, HttpHeaders headers) {
    int status = e.getResponse().getStatus();
    if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
      return mapJson(json, headers);
    }
    if (status >= 500) {
      LOG.error("Request failed", e);
    }
    String code = switch (status) {
      case 400 -> "malformed_request";
      case 401 -> "unauthenticated";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      default -> status >= 500 ? "internal_error" : "request_failed";
    };
    String title = Response.Status.fromStatusCode(status) == null ? "Error"
        : Response.Status.fromStatusCode(status).getReasonPhrase();
    String detail = status >= 500 ? "An unexpected error occurred" : e.getMessage();
    return toResponse(Problems.of(status, code, title, detail), headers);
  }

  /** Anything else is a bug: logged with its stack, answered without internals. */
  @ServerExceptionMapper(priority = 10_000)
  public Response mapUnexpected(Throwable e, HttpHeaders headers) {
    String requestId = headers == null ? null : headers.getHeaderString(RequestIds.HEADER);
    LOG.errorf(e, "Unexpected failure (request %s)", requestId);
    return toResponse(Problems.internal(requestId), headers);
  }

  /**
   * Renders a problem exception as a response.
   *
   * @param e the problem
   * @param headers the request headers, for the request id (may be null)
   * @return the problem+json response
   */
  public static Response toResponse(ProblemException e, HttpHeaders headers) {
    Problem problem = e.problem();
    String requestId = headers == null ? null : headers.getHeaderString(RequestIds.HEADER);
    if (requestId != null && problem.instance() == null) {
      problem = problem.withInstance(requestId);
    }
    Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    e.headers().forEach(builder::header);
    return builder.build();
  }
}
