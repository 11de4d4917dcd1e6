package dev.infermint.gateway.auth;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;

/**
 * Remembers when each API key was last used and sends the times to the tenants service in one batch every
 * {@code infermint.gateway.last-used-flush-interval} ({@code POST /internal/api-keys/last-used}), so that a busy key
 * costs no database write per request. A failed batch is merged back and sent with the next one.
 */
@Singleton
public class KeyLastUsed {

  private static final Logger LOG = Logger.getLogger(KeyLastUsed.class);

  private final Map<String, Instant> pending = new ConcurrentHashMap<>();

  @Inject
  InternalHttp http;
  @Inject
  GatewayConfig config;
  @Inject
  ObjectMapper json;
  @Inject
  Vertx vertx;

  private long timer = -1;

  void start(@Observes StartupEvent event) {
    timer = vertx.setPeriodic(config.lastUsedFlushInterval().toMillis(), id -> flush());
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    flush();
  }

  /** Notes that a key was just used; cheap enough for every request. */
  public void touch(String keyId) {
    if (keyId != null) {
      pending.put(keyId, Instant.now());
    }
  }

  /** Sends what was noted since the last batch. */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Instant> batch = Map.copyOf(pending);
    batch.forEach(pending::remove);
    Buffer body;
    try {
      body = Buffer.buffer(json.writeValueAsBytes(batch));
    } catch (JsonProcessingException e) {
      LOG.error("Cannot serialise last-used batch", e);
      return;
    }
    http.call(HttpMethod.POST, config.tenantsUrl(), "/internal/api-keys/last-used", null, body)
        .onComplete(ar -> {
          if (ar.failed() || ar.result().status() >= 300) {
            batch.forEach((k, t) -> pending.merge(k, t, (a, b) -> a.isAfter(b) ? a : b));
            LOG.debugf("Last-used batch of %s keys not accepted: %s", String.valueOf(batch.size()),
                ar.failed() ? ar.cause() : ar.result().status());
          }
        });
  }
}
