package dev.infermint.gateway.routing;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/** Writes a failure of the gateway's own routes as problem+json; the gateway's one place for error bodies. */
@Singleton
public class ProblemWriter {

  private static final Logger LOG = Logger.getLogger(ProblemWriter.class);

  @Inject
  ObjectMapper json;

  /**
   * Ends the response with the problem the failure stands for.
   *
   * @param ctx the routing context
   * @param failure a {@link ProblemException}, a connection failure to a service, or a bug
   */
  public void write(RoutingContext ctx, Throwable failure) {
    String requestId = ctx.get(GatewayRoutes.REQUEST_ID);
    ctx.request().resume();
    HttpServerResponse resp = ctx.response();
    if (resp.headWritten()) {
      // The upstream answer was already streaming: all we can do is cut the connection.
      LOG.warnf("Request %s failed after the response started: %s", requestId, failure.toString());
      resp.reset();
      return;
    }
    ProblemException problem = toProblem(failure, requestId);
    Problem body = problem.problem().withInstance(requestId);
    resp.setStatusCode(body.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
    problem.headers().forEach(resp::putHeader);
    try {
      resp.end(io.vertx.core.buffer.Buffer.buffer(json.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      resp.end();
    }
  }

  private static ProblemException toProblem(Throwable failure, String requestId) {
    if (failure instanceof ProblemException p) {
      return p;
    }
    if (failure instanceof ConnectException || failure instanceof ConnectTimeoutException) {
      return Problems.unavailable("A service behind the gateway cannot be reached; try again shortly");
    }
    if (failure instanceof TimeoutException || String.valueOf(failure.getMessage()).contains("timeout")) {
      return Problems.of(504, "upstream_timeout", "Upstream timeout",
          "A service behind the gateway did not answer in time");
    }
    LOG.errorf(failure, "Unexpected gateway failure (request %s)", requestId);
    return Problems.internal(requestId);
  }
}
