package dev.infermint.tenants.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Reads and writes {@code tenants.api_key}. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, UUID> {

  /**
   * @param tenantId the owning tenant
   * @return the tenant's keys, revoked ones included, oldest first
   */
  public List<ApiKeyEntity> listByTenant(String tenantId) {
    return list("tenant.id = ?1 order by createdAt, id", tenantId);
  }

  /**
   * @param tenantId the tenant that must own the key
   * @param keyId the key's id
   * @return the key when it exists and belongs to that tenant
   */
  public Optional<ApiKeyEntity> findByTenant(String tenantId, UUID keyId) {
    return find("id = ?1 and tenant.id = ?2", keyId, tenantId).firstResultOptional();
  }

  /**
   * @param keyHash lower-case hex SHA-256 of a full key
   * @return the key with that hash, its tenant loaded, if any
   */
  public Optional<ApiKeyEntity> findByHashWithTenant(String keyHash) {
    return find("from ApiKeyEntity k join fetch k.tenant where k.keyHash = ?1", keyHash).firstResultOptional();
  }
}
