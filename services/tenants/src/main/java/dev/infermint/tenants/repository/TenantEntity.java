package dev.infermint.tenants.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code tenants.tenant}; its id is the id of the tenant's Keycloak organization. */
@Entity
@Table(name = "tenant")
public class TenantEntity {

  /** Status of a tenant that may use the platform. */
  public static final String ACTIVE = "active";
  /** Status of a tenant whose API keys the gateway refuses (403 {@code tenant_suspended}) until it is reactivated. */
  public static final String SUSPENDED = "suspended";
  /** Status of a deleted tenant: keys revoked, organization gone, row kept for audit and billing. */
  public static final String DELETED = "deleted";

  @Id
  public String id;

  @Column(nullable = false, unique = true)
  public String slug;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public String plan;

  @Column(nullable = false)
  public String status;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /** When the tenant was deleted, or null. */
  @Column(name = "deleted_at")
  public Instant deletedAt;

  /** @return whether the tenant is deleted */
  public boolean deleted() {
    return DELETED.equals(status);
  }
}
