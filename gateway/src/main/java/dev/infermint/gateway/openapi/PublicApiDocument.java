package dev.infermint.gateway.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.infermint.gateway.client.Continuations;
import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.gateway.routing.RouteTable;

/**
 * {@code GET /q/openapi}: one OpenAPI document for the gateway's whole public surface, so that Swagger UI
 * ({@code /q/swagger-ui}) can try every call. Built at request time (cached for a minute) from:
 * <ul>
 *   <li>the gateway's own routes ({@code openapi/gateway.json}: health, {@code /quota});</li>
 *   <li>the worker's document, keeping only the templates of {@link RouteTable} (what the gateway routes);</li>
 *   <li>the tenants, registry and billing documents, keeping only {@code /api/v1/**} (never {@code /internal}).</li>
 * </ul>
 * Schemas keep their names unless two services mean different things by one name; then the later one is renamed
 * {@code <service>.<name>} and its references follow. A service that cannot be reached keeps its last known part,
 * or is named in {@code info.description} as missing.
 */
@ApplicationScoped
public class PublicApiDocument {

  private static final Logger LOG = Logger.getLogger(PublicApiDocument.class);
  private static final long TTL_MILLIS = 60_000;

  @Inject
  InternalHttp http;
  @Inject
  GatewayConfig config;
  @Inject
  ObjectMapper json;

  private final Map<String, JsonNode> lastKnown = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile byte[] cached;
  private volatile long cachedAt;

  void register(@Observes Router router) {
    router.get("/q/openapi").handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    byte[] doc = cached;
    if (doc != null && System.currentTimeMillis() - cachedAt < TTL_MILLIS) {
      ctx.response().putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(doc));
      return;
    }
    Map<String, URI> sources = new LinkedHashMap<>();
    sources.put("worker", config.workerUrls().get(0));
    sources.put("tenants", config.tenantsUrl());
    sources.put("registry", config.registryUrl());
    sources.put("billing", config.billingUrl());
    List<Future<JsonNode>> fetched = new ArrayList<>();
    sources.forEach((name, url) -> fetched.add(fetch(name, url, ctx.get("infermint.requestId"))));
    Continuations.onCaller(Future.join(fetched)).onComplete(ar -> {
      try {
        byte[] merged = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(merge(new ArrayList<>(
            sources.keySet())));
        cached = merged;
        cachedAt = System.currentTimeMillis();
        ctx.response().putHeader("Content-Type", "application/json").end(io.vertx.core.buffer.Buffer.buffer(merged));
      } catch (IOException e) {
        ctx.fail(e);
      }
    });
  }

  private Future<JsonNode> fetch(String name, URI url, String requestId) {
    return http.call(HttpMethod.GET, url, "/q/openapi?format=json", requestId, null).map(reply -> {
      if (reply.status() != 200) {
        throw new IllegalStateException(name + " answered " + reply.status());
      }
      try {
        JsonNode doc = json.readTree(reply.body().getBytes());
        lastKnown.put(name, doc);
        return doc;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).onFailure(e -> LOG.debugf("OpenAPI of %s not available: %s", name, e.toString()));
  }

  /**
   * @param services the services in merge order
   * @return the merged document
   */
  ObjectNode merge(List<String> services) {
    ObjectNode doc = base();
    ObjectNode paths = (ObjectNode) doc.get("paths");
    ObjectNode schemas = (ObjectNode) doc.with("components").with("schemas");
    List<String> missing = new ArrayList<>();
    for (String service : services) {
      JsonNode part = lastKnown.get(service);
      if (part == null) {
        missing.add(service);
        continue;
      }
      Map<String, String> renames = new LinkedHashMap<>();
      JsonNode theirSchemas = part.path("components").path("schemas");
      for (Iterator<Map.Entry<String, JsonNode>> it = theirSchemas.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> s = it.next();
        JsonNode ours = schemas.get(s.getKey());
        if (ours != null && !ours.equals(s.getValue())) {
          renames.put(s.getKey(), service + "." + s.getKey());
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = theirSchemas.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> s = it.next();
        schemas.set(renames.getOrDefault(s.getKey(), s.getKey()), rewriteRefs(s.getValue().deepCopy(), renames));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = part.path("paths").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        if (isPublic(service, p.getKey()) && !paths.has(p.getKey())) {
          paths.set(p.getKey(), rewriteRefs(p.getValue().deepCopy(), renames));
        }
      }
    }
    if (!missing.isEmpty()) {
      ObjectNode info = (ObjectNode) doc.get("info");
      info.put("description", info.path("description").asText() + " Not reachable while this document was built: "
          + String.join(", ", missing) + ".");
    }
    return doc;
  }

  private static boolean isPublic(String service, String path) {
    if (service.equals("worker")) {
      return RouteTable.ROUTES.stream().anyMatch(r -> r.kind() != RouteTable.Kind.LOCAL
          && r.template().equals(path));
    }
    return path.startsWith("/api/v1/");
  }

  private static JsonNode rewriteRefs(JsonNode node, Map<String, String> renames) {
    if (renames.isEmpty()) {
      return node;
    }
    if (node instanceof ObjectNode obj) {
      JsonNode ref = obj.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
        String name = ref.asText().substring("#/components/schemas/".length());
        if (renames.containsKey(name)) {
          obj.set("$ref", TextNode.valueOf("#/components/schemas/" + renames.get(name)));
        }
      }
      obj.fields().forEachRemaining(e -> rewriteRefs(e.getValue(), renames));
    } else if (node instanceof ArrayNode arr) {
      arr.forEach(n -> rewriteRefs(n, renames));
    }
    return node;
  }

  private ObjectNode base() {
    try (InputStream in = PublicApiDocument.class.getResourceAsStream("/openapi/gateway.json")) {
      return (ObjectNode) json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets what was fetched, for tests. */
  void forget() {
    lastKnown.clear();
    cached = null;
  }
}
