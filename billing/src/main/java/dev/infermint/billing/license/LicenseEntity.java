package dev.infermint.billing.license;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A licence and its policy ({@code billing.license}). */
@Entity
@Table(name = "license")
public class LicenseEntity extends PanacheEntityBase {

  /** The licence id, the JWS {@code sub}. */
  @Id
  public UUID id;

  /** The tenant that holds it. */
  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  /** The product licensed. */
  @Column(nullable = false)
  public String product;

  /** SHA-256 (hex) of the secret key. */
  @Column(name = "key_hash", nullable = false)
  public String keyHash;

  /** The key's first characters, to tell keys apart. */
  @Column(name = "key_prefix", nullable = false)
  public String keyPrefix;

  /** {@code ACTIVE} or {@code SUSPENDED}; expiry is computed from {@link #expiresAt}. */
  @Column(nullable = false)
  public String status;

  /** Machines that may be activated at once. */
  @Column(name = "max_machines", nullable = false)
  public int maxMachines;

  /** Floating (machines come and go) or node-locked (one machine, freed by an admin only). */
  @Column(nullable = false)
  public boolean floating;

  /** What expiry does: {@code REVOKE_ACCESS} or {@code RESTRICT_ACCESS}. */
  @Column(name = "expiration_strategy", nullable = false)
  public String expirationStrategy;

  /** A machine that has not pinged for this long is dead and frees its seat; null: no heartbeat required. */
  @Column(name = "heartbeat_seconds")
  public Integer heartbeatSeconds;

  /** Lifetime of a machine file. */
  @Column(name = "machine_file_ttl_seconds", nullable = false)
  public int machineFileTtlSeconds;

  /** Entitlement codes, e.g. {@code model:minilm}. */
  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "text[]")
  public String[] entitlements;

  /** When it expires; null: never. */
  @Column(name = "expires_at")
  public Instant expiresAt;

  /** When it was issued. */
  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
