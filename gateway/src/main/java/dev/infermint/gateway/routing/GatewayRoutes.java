package dev.infermint.gateway.routing;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.infermint.auth.InternalHeaders;
import dev.infermint.auth.Roles;
import dev.infermint.gateway.auth.ApiKeyAuthenticator;
import dev.infermint.gateway.auth.ApiKeyInfo;
import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.gateway.metering.UsageEvent;
import dev.infermint.gateway.metering.UsageRecorder;
import dev.infermint.gateway.quota.PlanCatalog;
import dev.infermint.gateway.quota.QuotaDecision;
import dev.infermint.gateway.quota.QuotaStore;
import dev.infermint.problem.Problems;
import dev.infermint.problem.RequestIds;

/**
 * The gateway's routes, on Vert.x directly so that the hot path stays non-blocking and bodies stream through
 * without being buffered:
 * <ul>
 *   <li>every request: an {@code X-Request-Id} (a safe client value is kept), incoming {@code X-Infermint-*}
 *       headers stripped;</li>
 *   <li>{@code /v2/health/*}: answered here, no auth;</li>
 *   <li>{@code /v1/**}, {@code /v2/**}: API key → (for infer and embeddings) per-minute quota → worker → one usage
 *       event;</li>
 *   <li>{@code /api/v1/**}: to the owning service; a Keycloak token passes through, an API key of scope
 *       {@code admin} is replaced by asserted headers, which count beside the gateway's service token only.</li>
 * </ul>
 */
@ApplicationScoped
public class GatewayRoutes {

  /** Routing-context key of the request id. */
  public static final String REQUEST_ID = "infermint.requestId";

  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

  @Inject
  GatewayConfig config;
  @Inject
  InternalHttp http;
  @Inject
  ApiKeyAuthenticator authenticator;
  @Inject
  PlanCatalog plans;
  @Inject
  QuotaStore quotas;
  @Inject
  UsageRecorder usage;
  @Inject
  ProblemWriter problems;

  void register(@Observes Router router) {
    router.route().order(-1000).handler(this::tagRequest);
    router.get("/v2/health/live").handler(ctx -> json(ctx, "{\"live\":true}"));
    router.get("/v2/health/ready").handler(this::ready);
    router.routeWithRegex("^/v[12]/.*").handler(this::inference);
    router.route("/api/v1/*").handler(this::management);
  }

  private void tagRequest(RoutingContext ctx) {
    String requestId = RequestIds.sanitize(ctx.request().getHeader(RequestIds.HEADER));
    ctx.put(REQUEST_ID, requestId);
    ctx.response().putHeader(RequestIds.HEADER, requestId);
    MultiMap headers = ctx.request().headers();
    List<String> internal = headers.names().stream()
        .filter(n -> n.regionMatches(true, 0, InternalHeaders.PREFIX, 0, InternalHeaders.PREFIX.length())).toList();
    internal.forEach(headers::remove);
    ctx.next();
  }

  private void ready(RoutingContext ctx) {
    http.call(HttpMethod.GET, config.workerUrl(), "/q/health/ready", ctx.get(REQUEST_ID), null)
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().status() == 200) {
            json(ctx, "{\"ready\":true}");
          } else {
            problems.write(ctx, Problems.unavailable("No inference worker is ready"));
          }
        });
  }

  private void inference(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    String requestId = ctx.get(REQUEST_ID);
    String path = req.path();
    boolean metered = req.method() == HttpMethod.POST
        && (path.endsWith("/infer") || path.equals("/v1/embeddings"));
    try {
      checkBodySize(req);
    } catch (RuntimeException e) {
      problems.write(ctx, e);
      return;
    }
    String key = bearer(req);
    if (key == null || !key.startsWith(ApiKeyAuthenticator.KEY_PREFIX)) {
      problems.write(ctx, Problems.unauthenticated(key == null
          ? "The inference API needs 'Authorization: Bearer imk_...' with an API key"
          : "The inference API takes API keys (imk_...), not other bearer tokens"));
      return;
    }
    authenticator.authenticate(key, requestId).compose(info -> {
      if (!info.hasScope(ApiKeyInfo.SCOPE_INFERENCE)) {
        return Future.failedFuture(Problems.of(403, "insufficient_scope", "Insufficient scope",
            "This API key lacks the 'inference' scope"));
      }
      MultiMap asserted = asserted(info, Roles.INFERENCE);
      if (!metered) {
        return proxy(ctx, config.workerUrl(), asserted, true, resp -> {
        });
      }
      return plans.limits(info.plan(), requestId).compose(limits -> {
        QuotaDecision decision = quotas.tryConsume(info.tenantId(), limits);
        HttpServerResponse resp = ctx.response();
        resp.putHeader("X-RateLimit-Limit", Long.toString(decision.limit()));
        resp.putHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()));
        resp.putHeader("X-RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.admitted()) {
          return Future.failedFuture(Problems.tooManyRequests("rate_limited", "Plan '" + limits.plan()
              + "' allows " + limits.requestsPerMinute() + " inference requests per minute",
              decision.retryAfterSeconds()));
        }
        Instant admittedAt = Instant.now();
        String model = modelOf(path);
        return proxy(ctx, config.workerUrl(), asserted, true, upstream -> usage.record(new UsageEvent(requestId,
            info.tenantId(), firstNonBlank(upstream.getHeader("X-Infermint-Model"), model),
            path.equals("/v1/embeddings") ? "embeddings" : "infer",
            upstream.statusCode() < 400 ? parseLong(upstream.getHeader("X-Infermint-Units")) : 0,
            parseLong(upstream.getHeader("X-Infermint-Compute-Ms")), upstream.statusCode(), admittedAt)))
            .recover(e -> {
              // Admitted but the worker could not be reached: still one admitted call.
              usage.record(new UsageEvent(requestId, info.tenantId(), firstNonBlank(null, model),
                  path.equals("/v1/embeddings") ? "embeddings" : "infer", 0, 0, 503, admittedAt));
              return Future.failedFuture(e);
            });
      });
    }).onFailure(e -> problems.write(ctx, e));
  }

  private void management(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    URI target = ServiceRoutes.owner(req.path(), config);
    if (target == null) {
      problems.write(ctx, Problems.notFound("path", req.path()));
      return;
    }
    String key = bearer(req);
    if (key == null || !key.startsWith(ApiKeyAuthenticator.KEY_PREFIX)) {
      // A Keycloak token (or nothing) goes through unchanged: the owning service verifies it.
      proxy(ctx, target, null, false, resp -> {
      }).onFailure(e -> problems.write(ctx, e));
      return;
    }
    authenticator.authenticate(key, ctx.get(REQUEST_ID)).compose(info -> {
      if (!info.hasScope(ApiKeyInfo.SCOPE_ADMIN)) {
        return Future.failedFuture(Problems.of(403, "insufficient_scope", "Insufficient scope",
            "The management API needs an API key with the 'admin' scope"));
      }
      return proxy(ctx, target, asserted(info, Roles.TENANT_ADMIN), true, resp -> {
      });
    }).onFailure(e -> problems.write(ctx, e));
  }

  private MultiMap asserted(ApiKeyInfo info, String role) {
    return MultiMap.caseInsensitiveMultiMap()
        .add(InternalHeaders.KIND, "API_KEY")
        .add(InternalHeaders.SUBJECT, info.keyId())
        .add(InternalHeaders.TENANT_ID, info.tenantId())
        .add(InternalHeaders.ROLES, role);
  }

  /**
   * Streams the request to a service and its answer back.
   *
   * @param ctx the routing context (request paused)
   * @param base the service
   * @param asserted identity headers to add, or null to pass the client's credentials through
   * @param dropAuthorization whether the client's Authorization header stays behind
   * @param onResponse sees the upstream response before its body streams back
   * @return completes when the response has been sent
   */
  private Future<Void> proxy(RoutingContext ctx, URI base, MultiMap asserted, boolean dropAuthorization,
      Consumer<HttpClientResponse> onResponse) {
    HttpServerRequest req = ctx.request();
    RequestOptions opts = http.options(req.method(), base, req.uri());
    req.headers().forEach(h -> {
      String name = h.getKey().toLowerCase();
      if (!HOP_BY_HOP.contains(name) && !(dropAuthorization && name.equals("authorization"))
          && !name.equals("x-request-id")) {
        opts.addHeader(h.getKey(), h.getValue());
      }
    });
    opts.putHeader(RequestIds.HEADER, (String) ctx.get(REQUEST_ID));
    opts.putHeader("X-Forwarded-Host", String.valueOf(req.authority()));
    opts.putHeader("X-Forwarded-Proto", req.scheme());
    if (req.remoteAddress() != null) {
      opts.putHeader("X-Forwarded-For", req.remoteAddress().hostAddress());
    }
    Future<RequestOptions> ready = Future.succeededFuture(opts);
    if (asserted != null) {
      asserted.forEach(h -> opts.putHeader(h.getKey(), h.getValue()));
      // The asserted caller counts only beside the gateway's own service token.
      ready = http.authorization().map(auth -> opts.putHeader(HttpHeaders.AUTHORIZATION, auth));
    }
    boolean hasBody = req.getHeader(HttpHeaders.CONTENT_LENGTH) != null
        || req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    return ready.compose(http.client()::request).compose(creq -> {
      if (!hasBody) {
        req.resume();
        return creq.send();
      }
      if (req.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
        creq.setChunked(true);
      }
      return creq.send(req);
    }).compose(upstream -> {
      onResponse.accept(upstream);
      HttpServerResponse resp = ctx.response();
      resp.setStatusCode(upstream.statusCode());
      upstream.headers().forEach(h -> {
        String name = h.getKey().toLowerCase();
        if (!HOP_BY_HOP.contains(name) && !name.equals("x-request-id")
            && !name.startsWith(InternalHeaders.PREFIX.toLowerCase())) {
          resp.headers().add(h.getKey(), h.getValue());
        }
      });
      if (upstream.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
        resp.setChunked(true);
      }
      return upstream.pipeTo(resp);
    });
  }

  private void checkBodySize(HttpServerRequest req) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long n;
      try {
        n = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw Problems.malformed("Content-Length is not a number");
      }
      if (n > config.maxInferenceBodyBytes()) {
        throw Problems.tooLarge("The request body has " + n + " bytes; the limit is "
            + config.maxInferenceBodyBytes());
      }
    }
  }

  private static String bearer(HttpServerRequest req) {
    String header = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  /** The model named in an OIP path, or {@code null} for OpenAI paths (the worker names it in a header). */
  static String modelOf(String path) {
    if (path.startsWith("/v2/models/")) {
      int end = path.indexOf('/', "/v2/models/".length());
      return path.substring("/v2/models/".length(), end < 0 ? path.length() : end);
    }
    return null;
  }

  private static void json(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }

  private static long parseLong(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a : (b == null ? "unknown" : b);
  }
}
