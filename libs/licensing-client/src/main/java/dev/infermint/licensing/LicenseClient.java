package dev.infermint.licensing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The online half of the licence API (SPEC §5), for software that activates and validates its licence against the
 * platform (through its gateway, e.g. {@code https://api.example.com}): validate a key, activate this machine,
 * fetch its machine file for offline use, send heartbeats. Offline checks are {@link LicenseVerifier}'s. Plain
 * {@link HttpClient}, no framework; thread-safe.
 */
public final class LicenseClient {

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param baseUrl the platform's public URL (the gateway), e.g. {@code http://localhost:8080}
   */
  public LicenseClient(URI baseUrl) {
    this(baseUrl, Duration.ofSeconds(10));
  }

  /**
   * @param baseUrl the platform's public URL (the gateway)
   * @param timeout connect and answer timeout of each call
   */
  public LicenseClient(URI baseUrl, Duration timeout) {
    String s = Objects.requireNonNull(baseUrl, "baseUrl").toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /**
   * The answer of {@code validate}.
   *
   * @param valid whether the licence may be used
   * @param code {@code VALID}, {@code NOT_FOUND}, {@code EXPIRED}, {@code SUSPENDED}, {@code TOO_MANY_MACHINES},
   *     {@code FINGERPRINT_NOT_ACTIVATED} or {@code ENTITLEMENTS_MISSING}
   */
  public record Validation(boolean valid, String code) {
  }

  /**
   * An activated machine.
   *
   * @param id machine id
   * @param licenseId its licence
   * @param fingerprint its fingerprint
   * @param name its name; may be null
   * @param heartbeatDeadline when its seat is freed without a heartbeat (ISO-8601); null without a heartbeat policy
   */
  public record Machine(String id, String licenseId, String fingerprint, String name, String heartbeatDeadline) {
  }

  /**
   * {@code POST /api/v1/licenses/validate}: no credentials but the key.
   *
   * @param key the licence key
   * @param fingerprint this machine's fingerprint, to check it is activated; may be null
   * @param entitlements entitlements the software needs, e.g. {@code model:minilm}; may be empty
   * @return the verdict; an invalid licence is an answer, not an exception
   * @throws LicenseApiException when the server refused the request or could not be reached
   */
  public Validation validate(String key, String fingerprint, List<String> entitlements) throws LicenseApiException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", Objects.requireNonNull(key, "key"));
    if (fingerprint != null) {
      body.put("fingerprint", fingerprint);
    }
    if (entitlements != null && !entitlements.isEmpty()) {
      body.put("entitlements", List.copyOf(entitlements));
    }
    Map<String, Object> answer = post("/api/v1/licenses/validate", null, body, 200);
    return new Validation(Boolean.TRUE.equals(answer.get("valid")), (String) answer.get("code"));
  }

  /**
   * {@code POST /api/v1/licenses/{id}/machines}: takes one of the licence's seats for this machine.
   *
   * @param licenseId the licence id
   * @param key the licence key
   * @param fingerprint this machine's fingerprint
   * @param name a name for people; may be null
   * @return the machine
   * @throws LicenseApiException {@code code()} {@code TOO_MANY_MACHINES} when every seat is taken; others as the
   *     server answers
   */
  public Machine activate(String licenseId, String key, String fingerprint, String name) throws LicenseApiException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fingerprint", Objects.requireNonNull(fingerprint, "fingerprint"));
    if (name != null) {
      body.put("name", name);
    }
    return machine(post("/api/v1/licenses/" + segment(licenseId) + "/machines", key, body, 201));
  }

  /**
   * {@code POST /api/v1/licenses/{id}/machines/{machineId}/heartbeat}: keeps the machine's seat.
   *
   * @param licenseId the licence id
   * @param machineId the machine id
   * @param key the licence key
   * @return the machine, with its new deadline
   * @throws LicenseApiException as the server answers (404 when the seat was freed)
   */
  public Machine heartbeat(String licenseId, String machineId, String key) throws LicenseApiException {
    return machine(post("/api/v1/licenses/" + segment(licenseId) + "/machines/" + segment(machineId) + "/heartbeat",
        key, null, 200));
  }

  /**
   * {@code POST /api/v1/licenses/{id}/machines/{machineId}/file}: the signed machine file, for running offline until
   * its {@code exp}; check it with {@link LicenseVerifier#verifyMachineFile(String, String)}.
   *
   * @param licenseId the licence id
   * @param machineId the machine id
   * @param key the licence key
   * @return the machine file (a compact JWS)
   * @throws LicenseApiException as the server answers
   */
  public String machineFile(String licenseId, String machineId, String key) throws LicenseApiException {
    Object file = post("/api/v1/licenses/" + segment(licenseId) + "/machines/" + segment(machineId) + "/file", key,
        null, 200).get("machineFile");
    if (!(file instanceof String s)) {
      throw new LicenseApiException(200, null, "The answer holds no machineFile", null);
    }
    return s;
  }

  private static Machine machine(Map<String, Object> m) {
    return new Machine((String) m.get("id"), (String) m.get("licenseId"), (String) m.get("fingerprint"),
        (String) m.get("name"), m.get("heartbeatDeadline") == null ? null : String.valueOf(m.get("heartbeatDeadline")));
  }

  private static String segment(String id) {
    return URLEncoder.encode(Objects.requireNonNull(id, "id"), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Map<String, Object> post(String path, String key, Map<String, Object> body, int expected)
      throws LicenseApiException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("Accept", "application/json, application/problem+json")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : JSONObjectUtils.toJSONString(body)));
    if (key != null) {
      request.header("Authorization", "License " + key);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new LicenseApiException(0, null, "The licence API at " + base + " could not be reached: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LicenseApiException(0, null, "Interrupted", e);
    }
    Map<String, Object> json;
    try {
      json = response.body().isBlank() ? Map.of() : JSONObjectUtils.parse(response.body());
    } catch (ParseException e) {
      throw new LicenseApiException(response.statusCode(), null, "The licence API answered " + response.statusCode()
          + " with a body that is not JSON", e);
    }
    if (response.statusCode() != expected) {
      Object code = json.get("code");
      Object detail = json.get("detail");
      throw new LicenseApiException(response.statusCode(), code == null ? null : code.toString(),
          "The licence API answered " + response.statusCode() + (code == null ? "" : " " + code)
              + (detail == null ? "" : ": " + detail), null);
    }
    return json;
  }
}
