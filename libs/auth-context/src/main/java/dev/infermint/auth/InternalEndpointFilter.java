package dev.infermint.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.infermint.problem.ProblemMapper;
import dev.infermint.problem.Problems;

/** Refuses every {@code /internal/...} call that does not carry the internal token. */
public class InternalEndpointFilter {

  @Inject
  CallerResolver resolver;

  /** Runs before every resource method. */
  @ServerRequestFilter(preMatching = true)
  public Response guardInternal(ContainerRequestContext ctx) {
    String path = ctx.getUriInfo().getPath();
    if ((path.equals("/internal") || path.startsWith("/internal/"))
        && !resolver.hasInternalToken(ctx.getHeaderString(InternalHeaders.INTERNAL_TOKEN))) {
      return ProblemMapper.toResponse(Problems.forbidden("Internal endpoints need the service credential"), null);
    }
    return null;
  }
}
