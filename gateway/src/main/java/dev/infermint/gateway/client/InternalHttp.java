package dev.infermint.gateway.client;

import java.net.URI;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import dev.infermint.auth.InternalHeaders;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.problem.Problems;
import dev.infermint.problem.RequestIds;
import dev.infermint.serviceclient.ServiceTokens;

/**
 * The gateway's non-blocking HTTP clients to the services behind it, shared by the proxy and the internal lookups.
 * Internal calls carry the gateway's service token and the request id.
 *
 * <p>One client per event loop: a client's pool opens its connections on the event loop of the request that needed
 * them, and hands any idle one to the next request, from whichever loop. A connection of another loop means two
 * thread hops per call (the request written there, the answer handed back), each a queued task and often a
 * wake-up of a sleeping loop. With a client per loop, a request always finds connections of its own loop.
 */
@Singleton
public class InternalHttp {

  /** A buffered answer of an internal call. */
  public record Reply(int status, Buffer body) {
  }

  private final PerEventLoop<HttpClient> clients;
  private final Vertx vertx;
  private final GatewayConfig config;
  private final ServiceTokens tokens;

  @Inject
  public InternalHttp(Vertx vertx, GatewayConfig config, ServiceTokens tokens) {
    this.config = config;
    this.vertx = vertx;
    this.tokens = tokens;
    HttpClientOptions options = new HttpClientOptions()
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setKeepAlive(true)
        .setTcpNoDelay(true);
    this.clients = new PerEventLoop<>(() -> vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(64)));
  }

  /** @return the pooled client of the calling event loop (a shared one off the event loops), for streaming calls */
  public HttpClient client() {
    return clients.get();
  }

  /**
   * The gateway's service token, as an {@code Authorization} header value. quarkus-oidc-client keeps it and renews
   * it before it expires, so this completes at once but every few minutes. Completes on the caller's context.
   *
   * @return the header value; fails with 503 when Keycloak cannot give one
   */
  public Future<String> authorization() {
    String held = tokens.heldAuthorization();
    if (held != null) {
      return Future.succeededFuture(held);
    }
    Context context = Vertx.currentContext();
    CompletionStage<String> stage = tokens.authorization().subscribeAsCompletionStage();
    Future<String> future = context == null ? Future.fromCompletionStage(stage)
        : Future.fromCompletionStage(stage, context);
    return future.recover(e -> Future.failedFuture(Problems.unavailable(
        "The gateway could not get its service credentials from Keycloak")));
  }

  /**
   * Options for a request to {@code base + pathAndQuery}.
   *
   * @param method the method
   * @param base a service's base URL
   * @param pathAndQuery the path with its query string
   * @return request options with host, port, URI and timeout set
   */
  public RequestOptions options(HttpMethod method, URI base, String pathAndQuery) {
    String prefix = base.getPath() == null || base.getPath().equals("/") ? "" : base.getPath();
    return new RequestOptions().setMethod(method).setHost(base.getHost())
        .setPort(base.getPort() > 0 ? base.getPort() : 80).setURI(prefix + pathAndQuery)
        .setIdleTimeout(config.upstreamTimeout().toMillis());
  }

  /**
   * Makes a buffered internal call.
   *
   * @param method the method
   * @param base a service's base URL
   * @param pathAndQuery path and query
   * @param requestId the request id to propagate
   * @param json a JSON body, or null
   * @return the status and body; fails with a {@link java.util.concurrent.TimeoutException} after
   *     {@code internal-call-timeout}
   */
  public Future<Reply> call(HttpMethod method, URI base, String pathAndQuery, String requestId, Buffer json) {
    // Bounded: a service that accepts the connection and never answers (a paused process) must not hold the
    // lookups that inference calls wait on.
    return Continuations.within(vertx, authorization().compose(auth -> send(method, base, pathAndQuery, requestId,
        json, auth)), config.internalCallTimeout().toMillis(), base + pathAndQuery);
  }

  private Future<Reply> send(HttpMethod method, URI base, String pathAndQuery, String requestId, Buffer json,
      String authorization) {
    RequestOptions opts = options(method, base, pathAndQuery)
        .putHeader(HttpHeaders.AUTHORIZATION, authorization)
        .putHeader(InternalHeaders.KIND, "SERVICE")
        .putHeader(RequestIds.HEADER, requestId == null ? RequestIds.newId() : requestId)
        .putHeader("Accept", "application/json");
    if (json != null) {
      opts.putHeader("Content-Type", "application/json");
    }
    return client().request(opts)
        .compose(req -> json == null ? req.send() : req.send(json))
        .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), body)));
  }

  @PreDestroy
  void close() {
    clients.closeAll(HttpClient::close);
  }
}
