package dev.infermint.registry.rest;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.RoutingContext;

import dev.infermint.problem.Problem;
import dev.infermint.problem.RequestIds;

/** Writes a problem+json answer from a Vert.x route, for the handlers that run before the REST layer. */
final class VertxProblems {

  private static final Logger LOG = Logger.getLogger(VertxProblems.class);

  private VertxProblems() {
  }

  /**
   * Ends the exchange with a problem, carrying the request id as {@code instance} like the REST layer's answers.
   *
   * @param ctx the exchange
   * @param json the mapper
   * @param problem what went wrong
   * @param close whether the connection closes after the answer (the client may still be sending a body that will not
   *     be read)
   */
  static void send(RoutingContext ctx, ObjectMapper json, Problem problem, boolean close) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    String requestId = ctx.request().getHeader(RequestIds.HEADER);
    if (requestId != null) {
      problem = problem.withInstance(RequestIds.sanitize(requestId));
    }
    String body;
    try {
      body = json.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      LOG.warnf(e, "Could not render a %d problem", problem.status());
      body = "";
    }
    ctx.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
    if (close) {
      ctx.response().putHeader("Connection", "close");
    }
    ctx.response().end(body);
  }
}
