package dev.infermint.worker.metrics;

import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.infermint.problem.Problem;

/**
 * Counts every answered inference request ({@code POST /v2/models/{m}[/versions/{v}]/infer}, {@code POST
 * /v1/embeddings}) as a success (2xx) or a failure with the problem's {@code code} as {@code reason}, labelled with
 * the model version it was resolved to.
 */
public class InferenceMetricsFilter {

  private static final Pattern INFER = Pattern.compile("/v2/models/[^/]+(/versions/[^/]+)?/infer");

  @Inject
  WorkerMetrics metrics;

  @Inject
  InferenceCall call;

  /** Runs once the answer (result or problem) is known. */
  @ServerResponseFilter
  public void count(ContainerRequestContext request, ContainerResponseContext response) {
    if (!"POST".equals(request.getMethod())) {
      return;
    }
    String path = request.getUriInfo().getPath();
    if (!path.equals("/v1/embeddings") && !INFER.matcher(path).matches()) {
      return;
    }
    int status = response.getStatus();
    if (status < 400) {
      metrics.succeeded(call.model());
    } else {
      String reason = response.getEntity() instanceof Problem p && p.code() != null ? p.code() : "http_" + status;
      metrics.failed(call.model(), reason);
    }
  }
}
