package dev.infermint.billing.license;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.problem.Problems;
import dev.infermint.serviceclient.ServiceTokens;

/**
 * The model registry's internal API, as the inference workers use it ({@code GET /internal/models/resolve},
 * {@code GET /internal/blobs/{hex}}), for licensed model downloads. Blobs are streamed, never held in memory; the
 * calls carry billing's service token.
 */
@ApplicationScoped
public class RegistryModels {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Inject
  ServiceTokens tokens;
  @Inject
  ObjectMapper json;
  @ConfigProperty(name = "infermint.model-registry.url", defaultValue = "http://localhost:8083")
  String registryUrl;

  /**
   * The version a licensed download serves: the tenant's own model of that name, else the public catalog's; the
   * {@code production} alias, else the newest.
   *
   * @param tenantId the licence's tenant
   * @param model the model name
   * @return {@code {name, version, owner, task, digest, tokenizerDigest, …}}
   * @throws dev.infermint.problem.ProblemException 404 when the registry has no such model; 503 when it cannot be
   *     asked
   */
  public JsonNode resolve(String tenantId, String model) {
    HttpResponse<InputStream> r = get("/internal/models/resolve?tenant=" + enc(tenantId) + "&model=" + enc(model));
    try (InputStream body = r.body()) {
      if (r.statusCode() == 404) {
        throw Problems.notFound("model", model);
      }
      if (r.statusCode() != 200) {
        throw Problems.unavailable("The model registry answered " + r.statusCode() + " resolving " + model);
      }
      return json.readTree(body);
    } catch (IOException e) {
      throw Problems.unavailable("The model registry's answer could not be read: " + e.getMessage());
    }
  }

  /**
   * @param digest {@code sha256:<hex>}
   * @return the blob's bytes, streaming; the caller closes it
   */
  public InputStream blob(String digest) {
    String hex = digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
    if (!hex.matches("[0-9a-f]{64}")) {
      throw Problems.unavailable("The model registry named a malformed digest " + digest);
    }
    HttpResponse<InputStream> r = get("/internal/blobs/" + hex);
    if (r.statusCode() != 200) {
      try {
        r.body().close();
      } catch (IOException ignored) {
        // nothing to release
      }
      throw Problems.unavailable("The model registry answered " + r.statusCode() + " for blob " + digest);
    }
    return r.body();
  }

  private HttpResponse<InputStream> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(registryUrl + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", tokens.awaitAuthorization()).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw Problems.unavailable("The model registry cannot be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problems.unavailable("Interrupted while asking the model registry");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
  }
}
