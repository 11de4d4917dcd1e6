package dev.infermint.gateway.routing;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
import dev.infermint.gateway.client.Continuations;
import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.gateway.metering.EventIds;
import dev.infermint.gateway.metering.UsageEvent;
import dev.infermint.gateway.metering.UsageRecorder;
import dev.infermint.gateway.quota.PlanCatalog;
import dev.infermint.gateway.quota.PlanLimits;
import dev.infermint.gateway.quota.QuotaDecision;
import dev.infermint.gateway.quota.QuotaStore;
import dev.infermint.problem.Problems;
import dev.infermint.problem.RequestIds;

/**
 * The gateway's routes, on Vert.x directly so that the hot path stays non-blocking and bodies stream through
 * without being buffered:
 * <ul>
 *   <li>every request: an {@code X-Request-Id} (a safe client value is kept, for correlation only), incoming
 *       {@code X-Infermint-*} headers stripped;</li>
 *   <li>{@code /v1/**}, {@code /v2/**}: looked up in {@link RouteTable} on the raw path (any other spelling is 404);
 *       health answered here; the rest: API key → for {@link RouteTable.Kind#METERED} routes the minute and month
 *       quota in one step → a worker replica ({@link WorkerProxy}) → exactly one usage event, durable before the
 *       response completes;</li>
 *   <li>{@code GET /api/v1/tenants/{tenantId}/quota}: the live counters ({@link QuotaRoute});</li>
 *   <li>{@code /api/v1/**}: to the owning service; a Keycloak token passes through, an API key of scope
 *       {@code admin} is replaced by asserted headers, which count beside the gateway's service token only.</li>
 * </ul>
 */
@ApplicationScoped
public class GatewayRoutes {

  /** Routing-context key of the request id. */
  public static final String REQUEST_ID = "infermint.requestId";
  /** Routing-context key of the call's usage event id, minted here whatever the client sent. */
  public static final String EVENT_ID = "infermint.eventId";

  private static final Set<String> HOP_BY_HOP = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    HOP_BY_HOP.addAll(List.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "host"));
  }

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
  @Inject
  WorkerProxy proxy;
  @Inject
  ModelPlacements placements;
  @Inject
  WorkerPool workers;
  @Inject
  QuotaRoute quota;

  void register(@Observes Router router) {
    router.route().order(-1000).handler(this::tagRequest);
    router.routeWithRegex("^/v[12](/.*)?$").handler(this::inference);
    router.get("/api/v1/tenants/:tenantId/quota").handler(ctx -> {
      if (canonical(ctx)) {
        quota.handle(ctx);
      }
    });
    router.route("/api/v1/*").handler(ctx -> {
      if (canonical(ctx)) {
        management(ctx);
      }
    });
  }

  /**
   * Management paths are routed by their raw spelling too: one that differs from its normalised form (dot segments,
   * encoded characters, doubled or trailing slashes) answers 404 rather than reaching a service under another name.
   */
  private boolean canonical(RoutingContext ctx) {
    String raw = ctx.request().path();
    if (!raw.equals(ctx.normalizedPath()) || raw.contains("//") || raw.endsWith("/") || raw.indexOf('%') >= 0) {
      ctx.request().pause();
      problems.write(ctx, Problems.notFound("path", raw));
      return false;
    }
    return true;
  }

  /**
   * Mints the call's event id (UUIDv7, from a thread-local generator) and takes it as the request id too unless
   * the client sent a safe one, so that a call and its usage event share an id; strips incoming internal headers.
   */
  private void tagRequest(RoutingContext ctx) {
    MultiMap headers = ctx.request().headers();
    String clientId = headers.get(RequestIds.HEADER);
    String eventId = EventIds.next();
    String requestId = RequestIds.isSafe(clientId) ? clientId : eventId;
    ctx.put(EVENT_ID, eventId);
    ctx.put(REQUEST_ID, requestId);
    ctx.response().headers().set(RequestIds.HEADER, requestId);
    List<String> internal = null;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey();
      if (name.regionMatches(true, 0, InternalHeaders.PREFIX, 0, InternalHeaders.PREFIX.length())) {
        internal = internal == null ? new ArrayList<>(2) : internal;
        internal.add(name);
      }
    }
    if (internal != null) {
      internal.forEach(headers::remove);
    }
    ctx.next();
  }

  /** Ready when at least one worker replica is. */
  private void ready(RoutingContext ctx) {
    List<Future<Boolean>> checks = workers.replicas().stream()
        .map(r -> http.call(HttpMethod.GET, r.url(), "/q/health/ready", ctx.get(REQUEST_ID), null)
            .map(reply -> reply.status() == 200).otherwise(false))
        .toList();
    Continuations.onCaller(Future.join(checks)).onComplete(ar -> {
      if (checks.stream().anyMatch(f -> f.succeeded() && f.result())) {
        json(ctx, "{\"ready\":true}");
      } else {
        problems.write(ctx, Problems.unavailable("No inference worker is ready"));
      }
    });
  }

  private void inference(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    RouteTable.Lookup lookup = RouteTable.lookup(req.method(), req.path());
    if (lookup instanceof RouteTable.WrongMethod wrong) {
      problems.write(ctx, Problems.methodNotAllowed(req.method().name(), req.path(), wrong.allowed()));
      return;
    }
    if (!(lookup instanceof RouteTable.Found found)) {
      problems.write(ctx, Problems.notFound("path", req.path()));
      return;
    }
    RouteTable.Match match = found.match();
    if (match.route().kind() == RouteTable.Kind.LOCAL) {
      req.resume();
      if (match.path().equals("/v2/health/live")) {
        json(ctx, "{\"live\":true}");
      } else {
        ready(ctx);
      }
      return;
    }
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
    String requestId = ctx.get(REQUEST_ID);
    Continuations.onCaller(authenticator.authenticate(key, requestId)).compose(info -> {
      if (!info.hasScope(ApiKeyInfo.SCOPE_INFERENCE)) {
        return Future.failedFuture(Problems.of(403, "insufficient_scope", "Insufficient scope",
            "This API key lacks the 'inference' scope"));
      }
      MultiMap asserted = asserted(info, Roles.INFERENCE);
      if (match.route().kind() == RouteTable.Kind.PROXIED) {
        proxy.forward(ctx, match.path(), asserted, null,
            placements.preferred(info.tenantId(), match.model(), match.version()));
        return Future.succeededFuture();
      }
      return Continuations.onCaller(plans.limits(info.plan(), requestId)).compose(limits -> {
        Instant now = Instant.now();
        return quotas.tryConsume(info.tenantId(), limits, now).compose(decision -> {
          HttpServerResponse resp = ctx.response();
          resp.putHeader("X-RateLimit-Limit", Long.toString(decision.limit()));
          resp.putHeader("X-RateLimit-Remaining", Long.toString(decision.remaining()));
          resp.putHeader("X-RateLimit-Reset", Long.toString(decision.resetSeconds()));
          if (!decision.admitted()) {
            return Future.failedFuture(refusal(decision, limits));
          }
          proxy.forward(ctx, match.path(), asserted, meter(ctx.get(EVENT_ID), info, match, decision,
              now.toEpochMilli(), requestId), placements.preferred(info.tenantId(), match.model(), match.version()));
          return Future.succeededFuture();
        });
      });
    }).onFailure(e -> problems.write(ctx, e));
  }

  private static RuntimeException refusal(QuotaDecision decision, PlanLimits limits) {
    if (decision.outcome() == QuotaDecision.Outcome.QUOTA_EXCEEDED) {
      return Problems.tooManyRequests("quota_exceeded", "Plan '" + limits.plan() + "' includes "
          + limits.requestsPerMonth() + " inference requests per calendar month (UTC), all used; the quota resets "
          + "at the start of next month", decision.retryAfterSeconds());
    }
    return Problems.tooManyRequests("rate_limited", "Plan '" + limits.plan() + "' allows "
        + limits.requestsPerMinute() + " inference requests per minute", decision.retryAfterSeconds());
  }

  /**
   * The metering of one admitted call: one event, whatever the outcome, built from what the worker answered (units
   * only for a 2xx) and what the gateway knows; never from the client's request.
   */
  private WorkerProxy.Outcome meter(String eventId, ApiKeyInfo info, RouteTable.Match match, QuotaDecision decision,
      long admittedAt, String requestId) {
    return (status, upstream) -> {
      boolean ok = status >= 200 && status < 300;
      String model = upstream == null ? null : upstream.get(UpstreamHeaders.MODEL);
      String version = upstream == null ? null : upstream.get(UpstreamHeaders.MODEL_VERSION);
      return usage.record(new UsageEvent(eventId, info.tenantId(), info.keyId(),
          firstNonBlank(model, match.model()), firstNonBlank(version, match.version(), ""),
          match.route().template(), ok && upstream != null ? parseLong(upstream.get(UpstreamHeaders.UNITS)) : 0,
          upstream == null ? 0 : parseLong(upstream.get(UpstreamHeaders.COMPUTE_MS)), status, admittedAt,
          decision.overage(), requestId));
    };
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
      toService(ctx, target, null, false, resp -> {
      }).onFailure(e -> problems.write(ctx, e));
      return;
    }
    authenticator.authenticate(key, ctx.get(REQUEST_ID)).compose(info -> {
      if (!info.hasScope(ApiKeyInfo.SCOPE_ADMIN)) {
        return Future.failedFuture(Problems.of(403, "insufficient_scope", "Insufficient scope",
            "The management API needs an API key with the 'admin' scope"));
      }
      return toService(ctx, target, asserted(info, Roles.TENANT_ADMIN), true, resp -> {
      });
    }).onFailure(e -> problems.write(ctx, e));
  }

  static MultiMap asserted(ApiKeyInfo info, String role) {
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
  private Future<Void> toService(RoutingContext ctx, URI base, MultiMap asserted, boolean dropAuthorization,
      Consumer<HttpClientResponse> onResponse) {
    HttpServerRequest req = ctx.request();
    RequestOptions opts = http.options(req.method(), base, req.uri());
    req.headers().forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name) && !(dropAuthorization && name.equalsIgnoreCase("authorization"))
          && !name.equalsIgnoreCase(RequestIds.HEADER)) {
        opts.addHeader(name, value);
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
      upstream.headers().forEach((name, value) -> {
        if (!HOP_BY_HOP.contains(name) && !name.equalsIgnoreCase(RequestIds.HEADER)
            && !name.regionMatches(true, 0, InternalHeaders.PREFIX, 0, InternalHeaders.PREFIX.length())) {
          resp.headers().add(name, value);
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

  static String bearer(HttpServerRequest req) {
    String header = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
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
    return firstNonBlank(a, b, "unknown");
  }

  private static String firstNonBlank(String a, String b, String fallback) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b != null && !b.isBlank() ? b : fallback;
  }
}
