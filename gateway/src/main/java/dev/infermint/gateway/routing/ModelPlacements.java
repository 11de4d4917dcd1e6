package dev.infermint.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;

/**
 * Where each deployed model is ready, from the registry's placement ({@code GET /internal/placements}): a call for a
 * deployed model goes only to the workers that report its version ready. The table is read at start, on every
 * {@code infermint_registry} notification ({@code TenancyEventListener} listens on that channel too) and every
 * {@code placement-refresh} besides; a failed read keeps the last table.
 *
 * <p>A name resolves as the workers resolve it: the tenant's own model first, else the public catalog's. A call
 * without a version (or {@code production}) goes to the serving version's ready replicas; a numbered version to that
 * version's. A model with no ready replica (undeployed, a new deployment still loading, another alias) gets no
 * preference: any worker, which loads it on demand. Since the gateway does not know every model a tenant has, a
 * tenant's undeployed model that shadows a deployed catalog model of the same name is sent to the catalog model's
 * workers, which load the tenant's on demand: correct, only not placed.
 */
@ApplicationScoped
public class ModelPlacements {

  private static final Logger LOG = Logger.getLogger(ModelPlacements.class);
  private static final String PUBLIC = "public";

  /** One deployed model: its serving version and, per version, the ready workers. */
  record Route(int servingVersion, Map<Integer, List<URI>> ready) {
  }

  @Inject
  InternalHttp http;
  @Inject
  GatewayConfig config;
  @Inject
  Vertx vertx;
  @Inject
  ObjectMapper json;

  private volatile Map<String, Route> routes = Map.of();
  private final AtomicBoolean inFlight = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  void start(@Observes StartupEvent event) {
    refresh();
    long every = Math.max(200, config.placementRefresh().toMillis());
    vertx.setPeriodic(every, id -> refresh());
  }

  /**
   * The workers a call should go to.
   *
   * @param tenant the caller's tenant
   * @param model the model name from the path, null for calls without one
   * @param version the version from the path, null for none
   * @return the ready workers of that model version, empty for no preference
   */
  public List<URI> preferred(String tenant, String model, String version) {
    if (model == null) {
      return List.of();
    }
    Map<String, Route> table = routes;
    Route route = table.get(key(tenant, model));
    if (route == null) {
      route = table.get(key(PUBLIC, model));
    }
    if (route == null) {
      return List.of();
    }
    int wanted;
    if (version == null || version.isBlank() || version.equals("production")) {
      wanted = route.servingVersion();
    } else if (version.length() <= 9 && version.chars().allMatch(Character::isDigit)) {
      wanted = Integer.parseInt(version);
    } else {
      return List.of();
    }
    return route.ready().getOrDefault(wanted, List.of());
  }

  /** Reads the table again; reads asked for while one runs are one more read. */
  public void refresh() {
    if (!inFlight.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    http.call(HttpMethod.GET, config.registryUrl(), "/internal/placements", null, null).onComplete(ar -> {
      inFlight.set(false);
      if (ar.succeeded() && ar.result().status() == 200) {
        try {
          routes = parse(json.readTree(ar.result().body().getBytes()));
        } catch (java.io.IOException | RuntimeException e) {
          LOG.warnf("Unreadable placement table from the registry: %s", e.toString());
        }
      } else {
        LOG.debugf("Placement table not refreshed (%s); keeping the last one",
            ar.succeeded() ? "status " + ar.result().status() : ar.cause().toString());
      }
      if (again.getAndSet(false)) {
        refresh();
      }
    });
  }

  static Map<String, Route> parse(JsonNode table) {
    Map<String, Route> out = new HashMap<>();
    for (JsonNode m : table.path("models")) {
      if (!m.path("servingVersion").canConvertToInt()) {
        continue;
      }
      Map<Integer, List<URI>> ready = new HashMap<>();
      for (JsonNode r : m.path("replicas")) {
        if ("ready".equals(r.path("state").asText()) && r.hasNonNull("url")) {
          ready.computeIfAbsent(r.path("version").asInt(), v -> new ArrayList<>())
              .add(URI.create(r.path("url").asText()));
        }
      }
      out.put(key(m.path("owner").asText(), m.path("name").asText()),
          new Route(m.path("servingVersion").asInt(), ready));
    }
    return out;
  }

  private static String key(String owner, String model) {
    return owner + '\n' + model;
  }
}
