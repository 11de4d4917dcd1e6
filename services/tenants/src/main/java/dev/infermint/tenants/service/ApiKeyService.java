package dev.infermint.tenants.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

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
 * keeps its SHA-256 ({@link ApiKeySecrets}). Revoking keeps the row (with {@code revoked_at}) for the audit trail.
 */
@ApplicationScoped
public class ApiKeyService {

  /** Status of a key that works. */
  public static final String ACTIVE = "active";
  /** Status of a key past its {@code expiresAt}. */
  public static final String EXPIRED = "expired";
  /** Status of a revoked key. */
  public static final String REVOKED = "revoked";

  private static final int MAX_NAME_LENGTH = 100;

  @Inject
  TenantRepository tenants;

  @Inject
  ApiKeyRepository keys;

  /**
   * Issues a key for a tenant.
   *
   * @param tenantId the owning tenant, whose access the caller has already checked
   * @param request the request, validated here
   * @return the key, with its secret
   * @throws ProblemException 404 when the tenant does not exist; 422 naming {@code name}, {@code scopes} or
   *     {@code expiresAt}
   */
  @Transactional
  public CreatedApiKeyResponse create(String tenantId, CreateApiKeyRequest request) {
    TenantEntity tenant = tenants.findByIdOptional(tenantId).orElseThrow(() -> Problems.notFound("tenant", tenantId));
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
    return new CreatedApiKeyResponse(key.id.toString(), key.name, key.prefix, secret, scopes, key.createdAt,
        key.expiresAt);
  }

  /**
   * @param tenantId the owning tenant, whose access the caller has already checked
   * @return the tenant's keys, revoked and expired ones included (see {@link ApiKeyResponse#status()})
   * @throws ProblemException 404 when the tenant does not exist
   */
  @Transactional
  public List<ApiKeyResponse> list(String tenantId) {
    if (tenants.findByIdOptional(tenantId).isEmpty()) {
      throw Problems.notFound("tenant", tenantId);
    }
    Instant now = Instant.now();
    return keys.listByTenant(tenantId).stream()
        .map(k -> new ApiKeyResponse(k.id.toString(), k.name, k.prefix, scopes(k), k.createdAt, k.expiresAt,
            k.revokedAt, status(k, now)))
        .toList();
  }

  /**
   * Revokes a key; revoking it again changes nothing.
   *
   * @param tenantId the owning tenant, whose access the caller has already checked
   * @param keyId the key id
   * @throws ProblemException 404 when the tenant has no such key
   */
  @Transactional
  public void revoke(String tenantId, String keyId) {
    ApiKeyEntity key = parseId(keyId).flatMap(id -> keys.findByTenant(tenantId, id))
        .orElseThrow(() -> Problems.notFound("api key", keyId));
    if (key.revokedAt == null) {
      key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
  }

  /**
   * Resolves a working key from its hash, for the gateway.
   *
   * @param keyHash hex SHA-256 of the full key
   * @return who the key acts for, or empty when the hash is unknown or the key is revoked or expired
   */
  @Transactional
  public Optional<ApiKeyLookupResponse> lookup(String keyHash) {
    String hash = keyHash == null ? null : keyHash.toLowerCase(Locale.ROOT);
    if (!ApiKeySecrets.isHash(hash)) {
      return Optional.empty();
    }
    Instant now = Instant.now();
    return keys.findByHashWithTenant(hash)
        .filter(k -> ACTIVE.equals(status(k, now)))
        .map(k -> new ApiKeyLookupResponse(k.id.toString(), k.tenant.id, k.tenant.slug, k.tenant.status,
            k.tenant.plan, scopes(k), k.expiresAt));
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
