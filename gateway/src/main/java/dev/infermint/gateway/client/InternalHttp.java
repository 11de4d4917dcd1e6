package dev.infermint.gateway.client;

import java.net.URI;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import dev.infermint.auth.InternalHeaders;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.problem.RequestIds;

/**
 * The gateway's one non-blocking HTTP client to the services behind it, shared by the proxy and the internal
 * lookups. Internal calls carry the service credential and the request id.
 */
@ApplicationScoped
public class InternalHttp {

  /** A buffered answer of an internal call. */
  public record Reply(int status, Buffer body) {
  }

  private final HttpClient client;
  private final GatewayConfig config;
  private final String internalToken;

  @Inject
  public InternalHttp(Vertx vertx, GatewayConfig config,
      @ConfigProperty(name = "infermint.internal.token", defaultValue = "") String internalToken) {
    this.config = config;
    this.internalToken = internalToken;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setKeepAlive(true)
        .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(64));
  }

  /** @return the pooled client, for streaming proxy calls */
  public HttpClient client() {
    return client;
  }

  /** @return the service credential, empty when unset */
  public String internalToken() {
    return internalToken;
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
   * @return the status and body
   */
  public Future<Reply> call(HttpMethod method, URI base, String pathAndQuery, String requestId, Buffer json) {
    RequestOptions opts = options(method, base, pathAndQuery)
        .putHeader(InternalHeaders.INTERNAL_TOKEN, internalToken)
        .putHeader(InternalHeaders.KIND, "SERVICE")
        .putHeader(RequestIds.HEADER, requestId == null ? RequestIds.newId() : requestId)
        .putHeader("Accept", "application/json");
    if (json != null) {
      opts.putHeader("Content-Type", "application/json");
    }
    return client.request(opts)
        .compose(req -> json == null ? req.send() : req.send(json))
        .compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(), body)));
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
