package dev.infermint.worker.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.HttpServerRequest;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.infermint.auth.CallerResolver;
import dev.infermint.problem.ProblemMapper;
import dev.infermint.problem.Problems;
import dev.infermint.worker.standalone.Standalone;

/**
 * The worker answers only services: every {@code /v1} and {@code /v2} call except the health probes must carry a
 * service token (and the gateway asserts the API key's caller beside it), else 401 without credentials and 403 for
 * any other token.
 */
public class InternalCallerFilter {

  @Inject
  CallerResolver resolver;

  @Inject
  Standalone standalone;

  /** Runs before routing, so that unknown paths under /v1 and /v2 are refused the same way. */
  @ServerRequestFilter(preMatching = true)
  public Response requireGateway(ContainerRequestContext ctx, HttpServerRequest request) {
    String path = ctx.getUriInfo().getPath();
    boolean guarded = path.equals("/v1") || path.startsWith("/v1/")
        || ((path.equals("/v2") || path.startsWith("/v2/")) && !path.startsWith("/v2/health/"));
    if (guarded && standalone.enabled()) {
      // Standalone: no platform. Callers on this machine, or with the configured API key; nothing is served while
      // the licence does not verify.
      if (!standalone.admits(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
          ctx.getHeaderString("Authorization"))) {
        return ProblemMapper.toResponse(Problems.forbidden("This standalone worker serves callers on its own machine"
            + " only (or with INFERMINT_WORKER_STANDALONE_API_KEY)"), null);
      }
      if (!standalone.license().serving()) {
        try {
          standalone.license().requireServing();
        } catch (dev.infermint.problem.ProblemException e) {
          return ProblemMapper.toResponse(e, null);
        }
      }
      return null;
    }
    if (guarded && !resolver.serviceToken()) {
      return ProblemMapper.toResponse(resolver.notAService("The inference worker is called through the gateway only"),
          null);
    }
    return null;
  }
}
