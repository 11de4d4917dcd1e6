package dev.infermint.billing.license;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.infermint.auth.Caller;
import dev.infermint.billing.license.signing.LicenseSigner;
import dev.infermint.billing.license.signing.SigningKey;
import dev.infermint.problem.Problems;

/**
 * The licence API of SPEC §5 "Licences" (Keygen-style): issue, list, validate, activate machines, machine files,
 * suspend and reinstate, and the public keys that verify licence and machine files offline. Endpoints that a
 * licensed program calls take {@code Authorization: License <key>}, which the gateway passes through unchanged.
 */
@Path("/api/v1/licenses")
@Produces(MediaType.APPLICATION_JSON)
public class LicenseResource {

  /** Media type of {@code public-key}. */
  public static final String PEM = "application/x-pem-file";

  /** The policy part of a request or answer (Keygen's policy). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PolicyBody(Boolean floating, String expirationStrategy, Long heartbeatSeconds,
      Long machineFileTtlSeconds) {
  }

  /** {@code POST /api/v1/licenses}. */
  public record LicenseRequest(String tenantId, String product, Integer maxMachines, String expiresAt,
      List<String> entitlements, PolicyBody policy) {
  }

  /** A licence; {@code key} only in the answer that issues it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LicenseBody(String id, String key, String keyPrefix, String status, String tenantId, String product,
      int maxMachines, List<String> entitlements, Instant expiresAt, PolicyBody policy, Instant createdAt,
      String license) {

    static LicenseBody of(LicenseInfo l) {
      LicensePolicy p = l.policy();
      return new LicenseBody(l.id().toString(), l.key(), l.keyPrefix(), l.status(), l.tenantId(), l.product(),
          l.maxMachines(), l.entitlements(), l.expiresAt(), new PolicyBody(p.floating(), p.expirationStrategy(),
              p.heartbeat() == null ? null : p.heartbeat().toSeconds(), p.machineFileTtl().toSeconds()),
          l.createdAt(), l.license());
    }
  }

  /** {@code POST /api/v1/licenses/validate}. */
  public record ValidationRequest(String key, String fingerprint, List<String> entitlements) {
  }

  /** The answer of validate. */
  public record ValidationBody(boolean valid, String code) {
  }

  /** {@code POST /api/v1/licenses/{id}/machines}. */
  public record MachineRequest(String fingerprint, String name) {
  }

  /** A machine. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MachineBody(String id, String licenseId, String fingerprint, String name, Instant createdAt,
      Instant lastHeartbeatAt, Instant heartbeatDeadline) {

    static MachineBody of(MachineInfo m) {
      return new MachineBody(m.id().toString(), m.licenseId().toString(), m.fingerprint(), m.name(), m.createdAt(),
          m.lastHeartbeatAt(), m.heartbeatDeadline());
    }
  }

  /** The answer of the machine-file endpoint. */
  public record MachineFileBody(String machineFile) {
  }

  /** A new signing key. */
  public record SigningKeyBody(String kid, String publicKey) {
  }

  @Inject
  Caller caller;
  @Inject
  LicenseService licenses;
  @Inject
  LicenseSigner signer;

  /**
   * Issues a licence (platform-admin).
   *
   * @param request what to issue
   * @return 201 with the licence, its key (shown once) and its licence file
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response issue(LicenseRequest request) {
    if (request == null) {
      throw Problems.malformed("The body must be a JSON object {tenantId, product, maxMachines, entitlements}");
    }
    PolicyBody p = request.policy();
    LicensePolicy policy = p == null ? null : new LicensePolicy(p.floating() == null || p.floating(),
        p.expirationStrategy(), p.heartbeatSeconds() == null ? null : Duration.ofSeconds(p.heartbeatSeconds()),
        p.machineFileTtlSeconds() == null ? null : Duration.ofSeconds(p.machineFileTtlSeconds()));
    LicenseInfo issued = licenses.issue(caller, new LicenseService.NewLicense(request.tenantId(), request.product(),
        request.maxMachines(), instant("expiresAt", request.expiresAt()), request.entitlements(), policy));
    return Response.status(201).entity(LicenseBody.of(issued)).build();
  }

  /** @return the caller's tenant's licences (every licence for platform admins), without keys */
  @GET
  public List<LicenseBody> list() {
    return licenses.list(caller).stream().map(LicenseBody::of).toList();
  }

  /** @return the key that signs now, SubjectPublicKeyInfo PEM; no credentials needed */
  @GET
  @Path("public-key")
  @Produces(PEM)
  public String publicKey() {
    return signer.current().publicPem();
  }

  /** @return every published key (the signing one first) as a JWK Set; no credentials needed */
  @GET
  @Path("jwks.json")
  public Map<String, Object> jwks() {
    return signer.published().toJSONObject(true);
  }

  /**
   * Rotates the signing key (platform-admin): the new key signs, the old one stays in jwks.json.
   *
   * @return 201 with the new key's id and public key
   */
  @POST
  @Path("signing-keys")
  public Response rotate() {
    caller.requirePlatformAdmin();
    SigningKey key = signer.rotate();
    return Response.status(201).entity(new SigningKeyBody(key.kid(), key.publicPem())).build();
  }

  /**
   * Validates a key, optionally on a machine and for entitlements; no credentials needed (the key is one).
   *
   * @param request key, fingerprint?, entitlements?
   * @return {@code {valid, code}}
   */
  @POST
  @Path("validate")
  @Consumes(MediaType.APPLICATION_JSON)
  public ValidationBody validate(ValidationRequest request) {
    if (request == null) {
      throw Problems.validation("key", "is required");
    }
    ValidationCode code = licenses.validate(request.key(), request.fingerprint(), request.entitlements());
    return new ValidationBody(code == ValidationCode.VALID, code.name());
  }

  /**
   * @param id the licence
   * @param authorization a Keycloak token, or {@code License <key>}
   * @return the licence with a freshly signed licence file
   */
  @GET
  @Path("{id}")
  public LicenseBody get(@RestPath String id, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
    return LicenseBody.of(licenses.get(caller, licenseKey(authorization), uuid(id)));
  }

  /**
   * @param id the licence
   * @param authorization a Keycloak token, or {@code License <key>}
   * @return its live machines
   */
  @GET
  @Path("{id}/machines")
  public List<MachineBody> machines(@RestPath String id,
      @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
    return licenses.machines(caller, licenseKey(authorization), uuid(id)).stream().map(MachineBody::of).toList();
  }

  /**
   * Activates a machine.
   *
   * @param id the licence
   * @param authorization {@code License <key>}
   * @param request fingerprint, name?
   * @return 201 with the machine; 422 TOO_MANY_MACHINES when every seat is taken
   */
  @POST
  @Path("{id}/machines")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response activate(@RestPath String id, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
      MachineRequest request) {
    UUID licenseId = uuid(id);
    String key = requiredLicenseKey(authorization);
    if (request == null) {
      throw Problems.validation("fingerprint", "is required");
    }
    MachineInfo m = licenses.activate(key, licenseId, request.fingerprint(), request.name());
    return Response.status(201).entity(MachineBody.of(m)).build();
  }

  /**
   * Deactivates a machine: with the licence key (floating licences), or as the tenant's admin.
   *
   * @param id the licence
   * @param machineId the machine
   * @param authorization a Keycloak token, or {@code License <key>}
   */
  @DELETE
  @Path("{id}/machines/{machineId}")
  public Response deactivate(@RestPath String id, @RestPath String machineId,
      @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
    licenses.deactivate(caller, licenseKey(authorization), uuid(id), machineUuid(machineId));
    return Response.noContent().build();
  }

  /**
   * A machine's heartbeat: without one within the policy's window the machine is dead and frees its seat.
   *
   * @param id the licence
   * @param machineId the machine
   * @param authorization {@code License <key>}
   * @return the machine
   */
  @POST
  @Path("{id}/machines/{machineId}/heartbeat")
  public MachineBody heartbeat(@RestPath String id, @RestPath String machineId,
      @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
    UUID licenseId = uuid(id);
    return MachineBody.of(licenses.heartbeat(requiredLicenseKey(authorization), licenseId, machineUuid(machineId)));
  }

  /**
   * A machine file: a JWS bound to the fingerprint, with {@code exp} its TTL, for offline use.
   *
   * @param id the licence
   * @param machineId the machine
   * @param authorization {@code License <key>}
   * @return {@code {machineFile}}
   */
  @POST
  @Path("{id}/machines/{machineId}/file")
  public MachineFileBody machineFile(@RestPath String id, @RestPath String machineId,
      @RestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
    UUID licenseId = uuid(id);
    return new MachineFileBody(licenses.machineFile(requiredLicenseKey(authorization), licenseId,
        machineUuid(machineId)));
  }

  /** @return the licence, suspended (platform-admin) */
  @POST
  @Path("{id}/suspend")
  public LicenseBody suspend(@RestPath String id) {
    return LicenseBody.of(licenses.setSuspended(caller, uuid(id), true));
  }

  /** @return the licence, active again (platform-admin) */
  @POST
  @Path("{id}/reinstate")
  public LicenseBody reinstate(@RestPath String id) {
    return LicenseBody.of(licenses.setSuspended(caller, uuid(id), false));
  }

  /** The key of {@code Authorization: License <key>}, or null for any other scheme (a Keycloak token). */
  static String licenseKey(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "License ", 0, 8)) {
      return null;
    }
    return authorization.substring(8).trim();
  }

  private static String requiredLicenseKey(String authorization) {
    String key = licenseKey(authorization);
    if (key == null || key.isEmpty()) {
      throw LicenseProblems.licenseKeyRequired();
    }
    return key;
  }

  /** An id that is no UUID names no licence: 404, as an unknown one. */
  private static UUID uuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw LicenseProblems.notFound(id);
    }
  }

  private static UUID machineUuid(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw Problems.notFound("machine", id);
    }
  }

  private static Instant instant(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw Problems.validation(field, "is not an ISO-8601 instant such as 2027-01-31T00:00:00Z");
    }
  }
}
