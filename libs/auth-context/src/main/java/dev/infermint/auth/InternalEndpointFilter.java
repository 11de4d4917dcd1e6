package dev.infermint.auth;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.infermint.problem.ProblemMapper;

/**
 * Refuses every {@code /internal/...} call that does not carry a service token: 401 without credentials, 403 for
 * any other caller (a user's token, even a platform admin's).
 */
public class InternalEndpointFilter {

  @Inject
  CallerResolver resolver;

  /** Runs before every resource method. */
  @ServerRequestFilter(preMatching = true)
  public Response guardInternal(ContainerRequestContext ctx) {
    String path = ctx.getUriInfo().getPath();
    if ((path.equals("/internal") || path.startsWith("/internal/")) && !resolver.serviceToken()) {
      return ProblemMapper.toResponse(resolver.notAService("Internal endpoints are for Infermint services"), null);
    }
    return null;
  }
}
