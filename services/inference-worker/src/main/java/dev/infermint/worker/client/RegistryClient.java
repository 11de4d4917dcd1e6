package dev.infermint.worker.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.infermint.problem.RequestIds;
import dev.infermint.serviceclient.ServiceTokens;
import dev.infermint.worker.config.WorkerConfig;

/**
 * The worker's view of the model registry's internal contract: resolve a model name for a tenant, list the models a
 * tenant sees, and fetch blobs. Every call carries the worker's service token and the request id.
 *
 * <p>Resilience: each call times out, is retried twice on {@link RegistryUnavailableException} (registry unreachable,
 * 5xx, 429) and on timeouts, and goes through a circuit breaker that those same failures trip (half of the last 10
 * calls failing opens it for 5 s, during which calls fail at once). An unknown model (404) is an answer, not a
 * failure: it neither retries nor counts against the breaker; nor does a refusal ({@link RegistryException}, 4xx).
 */
@ApplicationScoped
public class RegistryClient {

  private static final Logger LOG = Logger.getLogger(RegistryClient.class);

  @Inject
  @RestClient
  RegistryRestClient rest;

  @Inject
  WorkerConfig config;

  @Inject
  ServiceTokens tokens;

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  /**
   * Resolves a model name in a tenant: its own models first, then the public catalog.
   *
   * @param tenant the caller's tenant id
   * @param model the model name
   * @param version the version, or null for the {@code production} alias, else the newest
   * @param requestId the request id to forward
   * @return the model version, or empty when the registry knows no such model (404)
   * @throws RegistryUnavailableException when the registry cannot answer
   * @throws RegistryException when the registry refuses the request
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100,
      retryOn = {RegistryUnavailableException.class, TimeoutException.class})
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000,
      failOn = {RegistryUnavailableException.class, TimeoutException.class})
  public Optional<RegistryModel> resolve(String tenant, String model, String version, String requestId) {
    try (Response response = call(() -> rest.resolve(tenant, model, version, requestId))) {
      if (response.getStatus() == 404) {
        return Optional.empty();
      }
      check(response, "resolve model '" + model + "'");
      return Optional.of(read(() -> response.readEntity(RegistryModel.class), "resolve model '" + model + "'"));
    }
  }

  /**
   * Lists the models a tenant may use: its own and the public catalog's.
   *
   * @param tenant the caller's tenant id
   * @param requestId the request id to forward
   * @return the models, as the registry orders them
   * @throws RegistryUnavailableException when the registry cannot answer
   * @throws RegistryException when the registry refuses the request
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, jitter = 100,
      retryOn = {RegistryUnavailableException.class, TimeoutException.class})
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000,
      failOn = {RegistryUnavailableException.class, TimeoutException.class})
  public List<RegistryModelEntry> listModels(String tenant, String requestId) {
    try (Response response = call(() -> rest.list(tenant, requestId))) {
      check(response, "list models");
      return read(() -> response.readEntity(new GenericType<List<RegistryModelEntry>>() { }), "list models");
    }
  }

  /**
   * Streams a blob to a file (the caller verifies its digest). The first byte must arrive within
   * {@code infermint.worker.blob-timeout}; the body itself may take as long as its size needs.
   *
   * @param hex the blob's sha256, lowercase hex
   * @param target the file to write; replaced if it exists
   * @param requestId the request id to forward
   * @return true when written, false when the registry has no such blob (404)
   * @throws RegistryUnavailableException when the registry cannot answer
   * @throws RegistryException when the registry refuses the request
   */
  @Retry(maxRetries = 2, delay = 500, jitter = 200, retryOn = RegistryUnavailableException.class)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000,
      failOn = RegistryUnavailableException.class)
  public boolean downloadBlob(String hex, Path target, String requestId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stripSlash(config.registryUrl())
            + "/internal/blobs/" + URLEncoder.encode(hex, StandardCharsets.UTF_8)))
        .timeout(config.blobTimeout())
        .GET();
    request.header("Authorization", authorization());
    if (requestId != null) {
      request.header(RequestIds.HEADER, requestId);
    }
    HttpResponse<Path> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofFile(target));
    } catch (IOException e) {
      deleteQuietly(target);
      throw new RegistryUnavailableException(0, "model registry unreachable for blob " + hex + ": " + e, e);
    } catch (InterruptedException e) {
      deleteQuietly(target);
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException(0, "interrupted while fetching blob " + hex, e);
    }
    int status = response.statusCode();
    if (status == 200) {
      return true;
    }
    deleteQuietly(target);
    if (status == 404) {
      return false;
    }
    throw failure(status, "fetch blob " + hex);
  }

  private String authorization() {
    try {
      return tokens.awaitAuthorization();
    } catch (RuntimeException e) {
      throw new RegistryUnavailableException(0, "no service token from Keycloak for the registry call: " + e, e);
    }
  }

  private Response call(Supplier<Response> call) {
    try {
      return call.get();
    } catch (WebApplicationException e) {
      // Only when the default exception mapper is on: the status is still the answer.
      return e.getResponse();
    } catch (ProcessingException e) {
      throw new RegistryUnavailableException(0, "model registry unreachable: " + e.getMessage(), e);
    }
  }

  private static <T> T read(Supplier<T> reader, String what) {
    try {
      return reader.get();
    } catch (ProcessingException e) {
      throw new RegistryException(502, "model registry answered " + what + " with an unreadable body: "
          + e.getMessage(), e);
    }
  }

  private static void check(Response response, String what) {
    int status = response.getStatus();
    if (status < 200 || status >= 300) {
      throw failure(status, what);
    }
  }

  private static RegistryException failure(int status, String what) {
    String message = "model registry answered " + status + " to " + what;
    if (status >= 500 || status == 429) {
      return new RegistryUnavailableException(status, message, null);
    }
    LOG.warnf("%s (check INFERMINT_SERVICES_CLIENT_SECRET and the registry version)", message);
    return new RegistryException(status, message, null);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stale temporary file is removed by the next download of the same blob
    }
  }
}
