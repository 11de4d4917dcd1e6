package dev.infermint.tenants.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A row of {@code tenants.api_key}: everything about a key except its secret, of which only the hash is kept. */
@Entity
@Table(name = "api_key")
public class ApiKeyEntity {

  @Id
  public UUID id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "tenant_id", nullable = false)
  public TenantEntity tenant;

  @Column(nullable = false)
  public String name;

  /** The first characters of the key, shown so that people can tell their keys apart. */
  @Column(nullable = false)
  public String prefix;

  /** Lower-case hex SHA-256 of the whole key. */
  @Column(name = "key_hash", nullable = false, unique = true, columnDefinition = "char(64)")
  public String keyHash;

  /** Wire names of the scopes, comma separated. */
  @Column(nullable = false)
  public String scopes;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "expires_at")
  public Instant expiresAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  /** The latest use the gateways reported, or null. */
  @Column(name = "last_used_at")
  public Instant lastUsedAt;
}
