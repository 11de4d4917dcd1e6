package dev.infermint.gateway.quota;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.problem.Problems;

/**
 * The plans and their limits, as billing publishes them at {@code GET /api/v1/plans}, refreshed at most every
 * {@code infermint.gateway.plan-cache-ttl}, in the background once a catalog is known (calls go on with the last
 * known one meanwhile, and for as long as billing cannot be reached). Only the very first load waits, bounded by
 * the internal call timeout.
 */
@Singleton
public class PlanCatalog {

  private final InternalHttp http;
  private final GatewayConfig config;
  private final ObjectMapper json;
  private volatile Map<String, PlanLimits> plans = Map.of();
  private volatile long fetchedAtNanos;
  private volatile Future<Map<String, PlanLimits>> inFlight;

  @Inject
  public PlanCatalog(InternalHttp http, GatewayConfig config, ObjectMapper json) {
    this.http = http;
    this.config = config;
    this.json = json;
  }

  /**
   * @param plan a plan id
   * @param requestId the request id, for a refresh call
   * @return the plan's limits; fails with 503 when the plan is unknown and billing cannot be asked
   */
  public Future<PlanLimits> limits(String plan, String requestId) {
    return catalog(requestId).compose(map -> {
      PlanLimits limits = map.get(plan);
      return limits != null ? Future.succeededFuture(limits)
          : Future.failedFuture(Problems.unavailable("Plan '" + plan + "' is not in the plan catalog"));
    });
  }

  private Future<Map<String, PlanLimits>> catalog(String requestId) {
    boolean fresh = !plans.isEmpty() && System.nanoTime() - fetchedAtNanos < config.planCacheTtl().toNanos();
    if (fresh) {
      return Future.succeededFuture(plans);
    }
    Future<Map<String, PlanLimits>> running = inFlight;
    if (!plans.isEmpty()) {
      // Stale: refresh in the background and answer with what is known; a slow or stopped billing never holds up
      // an inference call once the catalog has been loaded.
      if (running == null) {
        refresh(requestId);
      }
      return Future.succeededFuture(plans);
    }
    return running != null ? running : refresh(requestId);
  }

  private Future<Map<String, PlanLimits>> refresh(String requestId) {
    Future<Map<String, PlanLimits>> refresh = http.call(HttpMethod.GET, config.billingUrl(), "/api/v1/plans",
        requestId, null).map(reply -> {
          if (reply.status() != 200) {
            throw new IllegalStateException("billing answered " + reply.status());
          }
          return parse(reply.body().getBytes());
        }).onComplete(ar -> inFlight = null)
        .map(map -> {
          plans = map;
          fetchedAtNanos = System.nanoTime();
          return map;
        })
        .recover(e -> plans.isEmpty()
            ? Future.failedFuture(Problems.unavailable("The plan catalog cannot be loaded from billing"))
            : Future.succeededFuture(plans));
    inFlight = refresh;
    return refresh;
  }

  private Map<String, PlanLimits> parse(byte[] body) {
    try {
      Map<String, PlanLimits> map = new HashMap<>();
      for (JsonNode plan : json.readTree(body)) {
        JsonNode limits = plan.path("limits");
        String id = plan.path("id").asText();
        map.put(id, new PlanLimits(id, limits.path("requestsPerMinute").asLong(),
            limits.path("requestsPerMonth").asLong(), PlanLimits.Overage.of(plan.path("overage").asText("block"))));
      }
      return Map.copyOf(map);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Unreadable plan catalog", e);
    }
  }
}
