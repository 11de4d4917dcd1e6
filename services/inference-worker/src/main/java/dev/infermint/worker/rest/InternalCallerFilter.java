package dev.infermint.worker.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.infermint.auth.CallerResolver;
import dev.infermint.auth.InternalHeaders;
import dev.infermint.problem.ProblemMapper;
import dev.infermint.problem.Problems;

/**
 * The worker answers only the gateway: every {@code /v1} and {@code /v2} call except the health probes must carry
 * the internal token (and the identity the gateway asserts with it), else 403.
 */
public class InternalCallerFilter {

  @Inject
  CallerResolver resolver;

  /** Runs before routing, so that unknown paths under /v1 and /v2 are refused the same way. */
  @ServerRequestFilter(preMatching = true)
  public Response requireGateway(ContainerRequestContext ctx) {
    String path = ctx.getUriInfo().getPath();
    boolean guarded = path.equals("/v1") || path.startsWith("/v1/")
        || ((path.equals("/v2") || path.startsWith("/v2/")) && !path.startsWith("/v2/health/"));
    if (guarded && !resolver.hasInternalToken(ctx.getHeaderString(InternalHeaders.INTERNAL_TOKEN))) {
      return ProblemMapper.toResponse(Problems.forbidden("The inference worker is called through the gateway only;"
          + " the internal token is missing or wrong"), null);
    }
    return null;
  }
}
