package dev.infermint.registry.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.infermint.problem.Problem;
import dev.infermint.problem.Problems;

/**
 * Answers a request whose declared {@code Content-Length} is over {@code quarkus.http.limits.max-body-size} with a
 * 413 problem+json before any of the body is read. Without it the HTTP layer answers those with an empty 413.
 * Bodies under that limit (or chunked) with a part over its own limit are refused by {@link UploadReceiver} with a 413
 * naming the part, as soon as the part passes it.
 */
@ApplicationScoped
public class BodyLimitGuard {

  @ConfigProperty(name = "quarkus.http.limits.max-body-size")
  Optional<MemorySize> maxBodySize;

  @Inject
  ObjectMapper json;

  void install(@Observes Router router) {
    if (maxBodySize.isEmpty()) {
      return;
    }
    long limit = maxBodySize.get().asLongValue();
    router.route().order(Integer.MIN_VALUE).handler(ctx -> check(ctx, limit));
  }

  private void check(RoutingContext ctx, long limit) {
    String declared = ctx.request().getHeader("Content-Length");
    long length;
    try {
      length = declared == null ? -1 : Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length <= limit) {
      ctx.next();
      return;
    }
    Problem problem = Problems.tooLarge("The request body of " + length + " bytes is over the limit of " + limit
        + " bytes").problem();
    // Connection: close, since the client may still be sending the body we will not read.
    VertxProblems.send(ctx, json, problem, true);
  }
}
