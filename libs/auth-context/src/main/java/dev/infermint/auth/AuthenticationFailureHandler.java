package dev.infermint.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.problem.RequestIds;

/**
 * Gives a bearer token that quarkus-oidc rejects (bad signature, expired, wrong issuer) a problem+json 401 body.
 * Proactive authentication fails such requests before any resource or exception mapper runs, so this is a Vert.x
 * route failure handler, as the Quarkus security guide recommends. Every service that verifies tokens gets it from
 * this library.
 */
@ApplicationScoped
public class AuthenticationFailureHandler {

  @Inject
  ObjectMapper json;

  void register(@Observes Router router) {
    router.route().failureHandler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    if (!(ctx.failure() instanceof AuthenticationFailedException) || ctx.response().ended()) {
      ctx.next();
      return;
    }
    ProblemException e = Problems.unauthenticated("The bearer token is not valid (expired, not signed by "
        + "Keycloak realm infermint, or malformed)");
    Problem problem = e.problem();
    String requestId = ctx.request().getHeader(RequestIds.HEADER);
    if (requestId != null) {
      problem = problem.withInstance(requestId);
    }
    String body;
    try {
      body = json.writeValueAsString(problem);
    } catch (JsonProcessingException ex) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(401).putHeader("Content-Type", Problem.MEDIA_TYPE);
    e.headers().forEach((name, value) -> ctx.response().headers().set(name, value));
    ctx.response().end(body);
  }
}
