package dev.infermint.gateway.metering;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;

/**
 * Sends one usage event per admitted inference call to billing, off the request path. Billing dedupes on the
 * request id, so a retry after a lost answer never counts twice; attempts back off 0.5 s, 1 s, 2 s, 4 s.
 */
@ApplicationScoped
public class UsageRecorder {

  private static final Logger LOG = Logger.getLogger(UsageRecorder.class);
  private static final int MAX_ATTEMPTS = 5;

  private final InternalHttp http;
  private final GatewayConfig config;
  private final ObjectMapper json;
  private final Vertx vertx;

  @Inject
  public UsageRecorder(InternalHttp http, GatewayConfig config, ObjectMapper json, Vertx vertx) {
    this.http = http;
    this.config = config;
    this.json = json;
    this.vertx = vertx;
  }

  /**
   * Records the event asynchronously; never fails the caller.
   *
   * @param event the admitted call
   */
  public void record(UsageEvent event) {
    Buffer body;
    try {
      body = Buffer.buffer(json.writeValueAsBytes(event));
    } catch (JsonProcessingException e) {
      LOG.errorf(e, "Cannot serialise usage event %s", event.requestId());
      return;
    }
    send(event, body, 1);
  }

  private void send(UsageEvent event, Buffer body, int attempt) {
    http.call(HttpMethod.POST, config.billingUrl(), "/internal/usage", event.requestId(), body)
        .onComplete(ar -> {
          boolean ok = ar.succeeded() && (ar.result().status() == 200 || ar.result().status() == 201);
          if (ok) {
            return;
          }
          boolean retriable = ar.failed() || ar.result().status() >= 500;
          if (retriable && attempt < MAX_ATTEMPTS) {
            vertx.setTimer(250L << attempt, id -> send(event, body, attempt + 1));
          } else {
            LOG.errorf("Usage event %s for tenant %s was not recorded: %s", event.requestId(), event.tenantId(),
                ar.failed() ? ar.cause().toString() : "billing answered " + ar.result().status() + " "
                    + ar.result().body());
          }
        });
  }
}
