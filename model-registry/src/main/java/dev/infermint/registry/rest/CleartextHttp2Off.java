package dev.infermint.registry.rest;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Turns off the HTTP/1.1 → h2c upgrade. The upgrade answers a request that carries a body only after holding the
 * whole body in memory, which would defeat {@link UploadReceiver} for a client that offers h2c (Java's HttpClient does
 * by default). Nothing calls the registry over h2c: the gateway and the services speak HTTP/1.1.
 */
@ApplicationScoped
public class CleartextHttp2Off implements HttpServerOptionsCustomizer {

  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    options.setHttp2ClearTextEnabled(false);
  }
}
