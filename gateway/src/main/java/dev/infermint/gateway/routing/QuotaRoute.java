package dev.infermint.gateway.routing;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

import dev.infermint.auth.Roles;
import dev.infermint.gateway.auth.ApiKeyAuthenticator;
import dev.infermint.gateway.auth.ApiKeyInfo;
import dev.infermint.gateway.client.Continuations;
import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.gateway.quota.PlanCatalog;
import dev.infermint.gateway.quota.PlanLimits;
import dev.infermint.gateway.quota.QuotaState;
import dev.infermint.gateway.quota.QuotaStore;
import dev.infermint.problem.Problems;
import dev.infermint.problem.RequestIds;

/**
 * {@code GET /api/v1/tenants/{tenantId}/quota}: the tenant's live minute and month counters (SPEC §5), for the
 * console. The gateway owns the counters but not the tenant: it first asks the tenants service for
 * {@code GET /api/v1/tenants/{tenantId}} with the caller's own credentials, so that service decides who may see the
 * tenant (another tenant gets its 404, unchanged), and takes the tenant's plan from that answer.
 */
@ApplicationScoped
public class QuotaRoute {

  @Inject
  InternalHttp http;
  @Inject
  GatewayConfig config;
  @Inject
  ApiKeyAuthenticator authenticator;
  @Inject
  PlanCatalog plans;
  @Inject
  QuotaStore quotas;
  @Inject
  ObjectMapper json;
  @Inject
  ProblemWriter problems;

  void handle(RoutingContext ctx) {
    ctx.request().resume();
    String tenantId = ctx.pathParam("tenantId");
    String requestId = ctx.get(GatewayRoutes.REQUEST_ID);
    RequestOptions opts = http.options(HttpMethod.GET, config.tenantsUrl(), "/api/v1/tenants/" + tenantId)
        .putHeader(RequestIds.HEADER, requestId).putHeader(HttpHeaders.ACCEPT, "application/json");
    String key = GatewayRoutes.bearer(ctx.request());
    Future<RequestOptions> ready;
    if (key != null && key.startsWith(ApiKeyAuthenticator.KEY_PREFIX)) {
      ready = Continuations.onCaller(authenticator.authenticate(key, requestId)).compose(info -> {
        if (!info.hasScope(ApiKeyInfo.SCOPE_ADMIN)) {
          return Future.failedFuture(Problems.of(403, "insufficient_scope", "Insufficient scope",
              "The management API needs an API key with the 'admin' scope"));
        }
        MultiMap asserted = GatewayRoutes.asserted(info, Roles.TENANT_ADMIN);
        asserted.forEach(opts::putHeader);
        return Continuations.onCaller(http.authorization()).map(auth -> opts.putHeader(HttpHeaders.AUTHORIZATION,
            auth));
      });
    } else {
      String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      if (authorization != null) {
        opts.putHeader(HttpHeaders.AUTHORIZATION, authorization);
      }
      ready = Future.succeededFuture(opts);
    }
    ready.compose(o -> Continuations.onCaller(http.client().request(o).compose(req -> req.send())
            .compose(resp -> resp.body().map(body -> new Tenant(resp.statusCode(),
                resp.getHeader(HttpHeaders.CONTENT_TYPE), body)))))
        .compose(tenant -> {
          if (tenant.status() != 200) {
            // The tenants service's own answer (401, 403, 404 for another tenant's id) is the answer.
            ctx.response().setStatusCode(tenant.status());
            if (tenant.contentType() != null) {
              ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, tenant.contentType());
            }
            ctx.response().end(tenant.body());
            return Future.succeededFuture();
          }
          String plan = plan(tenant.body());
          Instant now = Instant.now();
          return Continuations.onCaller(plans.limits(plan, requestId)).compose(limits ->
              quotas.peek(tenantId, limits, now).map(state -> {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Buffer.buffer(render(limits, state)));
                return null;
              }));
        })
        .onFailure(e -> problems.write(ctx, e));
  }

  private record Tenant(int status, String contentType, Buffer body) {
  }

  private String plan(Buffer body) {
    try {
      JsonNode node = json.readTree(body.getBytes());
      String plan = node.path("plan").asText(null);
      if (plan == null || plan.isBlank()) {
        throw Problems.upstream("The tenants service answered a tenant without a plan");
      }
      return plan;
    } catch (IOException e) {
      throw Problems.upstream("The tenants service answered an unreadable tenant");
    }
  }

  private byte[] render(PlanLimits limits, QuotaState state) {
    Map<String, Object> minute = new LinkedHashMap<>();
    minute.put("limit", state.minuteLimit());
    minute.put("remaining", state.minuteRemaining());
    minute.put("resetSeconds", state.minuteResetSeconds());
    Map<String, Object> month = new LinkedHashMap<>();
    month.put("limit", state.monthLimit());
    month.put("used", state.monthUsed());
    month.put("resetsAt", state.monthResetsAt().toString());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("plan", limits.plan());
    body.put("overage", limits.overage().wire());
    body.put("minute", minute);
    body.put("month", month);
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
