package dev.infermint.tenants.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.ApiKeyScope;
import dev.infermint.tenants.repository.ApiKeyEntity;
import dev.infermint.tenants.repository.ApiKeyRepository;
import dev.infermint.tenants.repository.TenantEntity;
import dev.infermint.tenants.repository.TenantRepository;
import dev.infermint.tenants.rest.ApiKeyLookupResponse;
import dev.infermint.tenants.rest.ApiKeyResponse;
import dev.infermint.tenants.rest.CreateApiKeyRequest;
import dev.infermint.tenants.rest.CreatedApiKeyResponse;

/**
 * Issues, lists, revokes and resolves API keys. The secret exists only in the answer to its creation; the database
 * keeps its SHA-256 ({@link ApiKeySecrets}). Revoking keeps the row (with {@code revoked_at}) for the audit trail and
 * tells the gateways at once ({@link TenancyEvents}); issuing and revoking are audited in the same transaction.
 */
@ApplicationScoped
public class ApiKeyService {

  /** Status of a key that works. */
  public static final String ACTIVE = "active";
  /** Status of a key past its {@code expiresAt}. */
  public static final String EXPIRED = "expired";
  /** Status of a revoked key. */
  public static final String REVOKED = "revoked";

  /** Most entries one last-used batch may carry. */
  public static final int MAX_LAST_USED_BATCH = 10_000;

  private static final int MAX_NAME_LENGTH = 100;

  @Inject
  TenantRepository tenants;

  @Inject
  ApiKeyRepository keys;

  @Inject
  AuditService audit;

  @Inject
  TenancyEvents events;

  @Inject
  ObjectMapper json;

  /**
   * Issues a key for a tenant.
   *
   * @param tenantId the owning tenant, whose access the caller has already checked
   * @param request the request, validated here
   * @param actor who issues it
   * @return the key, with its secret
   * @throws ProblemException 404 when the tenant does not exist; 409 when it is deleted; 422 naming {@code name},
   *     {@code scopes} or {@code expiresAt}
   */
  @Transactional
  public CreatedApiKeyResponse create(String tenantId, CreateApiKeyRequest request, Actor actor) {
    TenantEntity tenant = TenantService.writable(tenants.findByIdOptional(tenantId), tenantId, actor);
    if (request == null) {
      throw Problems.malformed("Request body is required: {\"name\", \"scopes\"?, \"expiresAt\"?}");
    }
    String name = request.name() == null ? "" : request.name().strip();
    if (name.isEmpty()) {
      throw Problems.validation("name", "is required");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw Problems.validation("name", "must be at most " + MAX_NAME_LENGTH + " characters");
    }
    List<String> scopes = parseScopes(request.scopes());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant expiresAt = parseExpiry(request.expiresAt(), now);

    String secret = ApiKeySecrets.newKey();
    ApiKeyEntity key = new ApiKeyEntity();
    key.id = UUID.randomUUID();
    key.tenant = tenant;
    key.name = name;
    key.prefix = ApiKeySecrets.displayPrefix(secret);
    key.keyHash = ApiKeySecrets.hash(secret);
    key.scopes = String.join(",", scopes);
    key.createdAt = now;
    key.expiresAt = expiresAt;
    keys.persist(key);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", name);
    details.put("prefix", key.prefix);
    details.put("scopes", scopes);
    audit.record(actor, tenantId, AuditAction.API_KEY_CREATED, key.id.toString(), details);
    return new CreatedApiKeyResponse(key.id.toString(), key.name, key.prefix, secret, scopes, key.createdAt,
        key.expiresAt);
  }

  /**
   * @param tenantId the owning tenant, whose access the caller has already checked
   * @param actor who asks
   * @return the tenant's keys, revoked and expired ones included (see {@link ApiKeyResponse#status()})
   * @throws ProblemException 404 when the tenant does not exist (or is deleted, for callers other than platform
   *     staff)
   */
  @Transactional
  public List<ApiKeyResponse> list(String tenantId, Actor actor) {
    TenantService.readable(tenants.findByIdOptional(tenantId), tenantId, actor);
    Instant now = Instant.now();
    return keys.listByTenant(tenantId).stream()
        .map(k -> new ApiKeyResponse(k.id.toString(), k.name, k.prefix, scopes(k), k.createdAt, k.expiresAt,
            k.revokedAt, k.lastUsedAt, status(k, now)))
        .toList();
  }

  /**
   * Revokes a key; revoking it again changes nothing.
   *
   * @param tenantId the owning tenant, whose access the caller has already checked
   * @param keyId the key id
   * @param actor who revokes it
   * @throws ProblemException 404 when the tenant has no such key; 409 when the tenant is deleted
   */
  @Transactional
  public void revoke(String tenantId, String keyId, Actor actor) {
    TenantService.writable(tenants.findByIdOptional(tenantId), tenantId, actor);
    ApiKeyEntity key = parseId(keyId).flatMap(id -> keys.findByTenant(tenantId, id))
        .orElseThrow(() -> Problems.notFound("api key", keyId));
    if (key.revokedAt == null) {
      key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
      audit.record(actor, tenantId, AuditAction.API_KEY_REVOKED, key.id.toString(),
          Map.of("name", key.name, "prefix", key.prefix));
      events.apiKeyRevoked(key.keyHash, tenantId);
    }
  }

  /**
   * Resolves a working key from its hash, for the gateway.
   *
   * <p>The row is found through the unique index on {@code key_hash}; the answer is then decided by comparing the
   * stored hash with the presented one in constant time ({@link MessageDigest#isEqual}). The index walk compares
   * hashes, not secrets, so its timing tells nothing usable about any key; the final comparison makes sure that only
   * an exact, full-length match answers, whatever the database's comparison rules (e.g. {@code char(64)} padding),
   * and that this answer takes the same time whichever byte differs.
   *
   * @param keyHash hex SHA-256 of the full key
   * @return who the key acts for, or empty when the hash is unknown, the key is revoked or expired, or its tenant is
   *     deleted; the tenant's status ({@code active} or {@code suspended}) is part of the answer
   */
  @Transactional
  public Optional<ApiKeyLookupResponse> lookup(String keyHash) {
    String hash = keyHash == null ? null : keyHash.toLowerCase(Locale.ROOT);
    if (!ApiKeySecrets.isHash(hash)) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    byte[] presented = hash.getBytes(StandardCharsets.US_ASCII);
    return keys.findByHashWithTenant(hash)
        .filter(k -> MessageDigest.isEqual(k.keyHash.getBytes(StandardCharsets.US_ASCII), presented))
        .filter(k -> !k.tenant.deleted())
        .filter(k -> ACTIVE.equals(status(k, now)))
        .map(k -> new ApiKeyLookupResponse(k.id.toString(), k.tenant.id, k.tenant.slug, k.tenant.status,
            k.tenant.plan, scopes(k), k.expiresAt));
  }

  /**
   * Records the last use of keys, as a gateway reports them in a batch: one UPDATE for the whole batch; a key keeps
   * the later of its stored and the reported time (reports may arrive out of order from several gateways); times
   * after the database's clock count as now. Ids that are not UUIDs or name no key are ignored.
   *
   * @param uses key id to the ISO-8601 instant of its last use
   * @throws ProblemException 400 without a body; 413 over {@value #MAX_LAST_USED_BATCH} entries; 422 naming the
   *     key id whose time is not an ISO-8601 date-time with offset
   */
  @Transactional
  public void recordLastUsed(Map<String, String> uses) {
    if (uses == null) {
      throw Problems.malformed("Request body is required: {\"<keyId>\": \"<ISO-8601 instant>\", ...}");
    }
    if (uses.size() > MAX_LAST_USED_BATCH) {
      throw Problems.tooLarge("A batch carries at most " + MAX_LAST_USED_BATCH + " keys");
    }
    Map<String, Instant> latest = new TreeMap<>();
    for (Map.Entry<String, String> use : uses.entrySet()) {
      Instant at;
      try {
        at = OffsetDateTime.parse(String.valueOf(use.getValue())).toInstant();
      } catch (DateTimeParseException e) {
        throw Problems.validation(use.getKey(), "must be an ISO-8601 date-time with offset, e.g. "
            + "2030-01-01T00:00:00Z");
      }
      // The same key may be spelt in upper and lower case: one entry per key, the latest time wins.
      parseId(use.getKey()).ifPresent(id -> latest.merge(id.toString(), at, (a, b) -> a.isAfter(b) ? a : b));
    }
    if (latest.isEmpty()) {
      return;
    }
    Map<String, String> normalised = new LinkedHashMap<>();
    latest.forEach((id, at) -> normalised.put(id, at.toString()));
    try {
      keys.recordLastUsed(json.writeValueAsString(normalised));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A map of strings always serialises", e);
    }
  }

  private static List<String> parseScopes(List<String> requested) {
    if (requested == null) {
      return List.of(ApiKeyScope.INFERENCE.wireName());
    }
    if (requested.isEmpty()) {
      throw Problems.validation("scopes", "must name at least one of inference, admin (or be left out)");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope : requested) {
      scopes.add(ApiKeyScope.fromWireName(scope)
          .orElseThrow(() -> Problems.validation("scopes", "unknown scope '" + scope + "'; use inference, admin"))
          .wireName());
    }
    return List.copyOf(scopes);
  }

  private static Instant parseExpiry(String value, Instant now) {
    if (value == null) {
      return null;
    }
    Instant expiresAt;
    try {
      expiresAt = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw Problems.validation("expiresAt", "must be an ISO-8601 date-time with offset, e.g. 2030-01-01T00:00:00Z");
    }
    if (!expiresAt.isAfter(now)) {
      throw Problems.validation("expiresAt", "must be in the future");
    }
    return expiresAt;
  }

  private static Optional<UUID> parseId(String id) {
    // UUID.fromString also accepts short forms such as 1-2-3-4-5; only the canonical 36 characters name a key.
    if (id == null || id.length() != 36) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static List<String> scopes(ApiKeyEntity key) {
    return Arrays.stream(key.scopes.split(",")).filter(s -> !s.isBlank()).toList();
  }

  private static String status(ApiKeyEntity key, Instant now) {
    if (key.revokedAt != null) {
      return REVOKED;
    }
    if (key.expiresAt != null && !key.expiresAt.isAfter(now)) {
      return EXPIRED;
    }
    return ACTIVE;
  }
}
