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
   * @param tenantId the owning tenant
   * @return the tenant's keys that are not revoked (expired ones included)
   */
  public List<ApiKeyEntity> listUnrevokedByTenant(String tenantId) {
    return list("tenant.id = ?1 and revokedAt is null", tenantId);
  }

  /**
   * Records when keys were last used, in one statement: each key keeps the later of its stored time and the
   * reported one, capped at the database's clock. Unknown ids match no row.
   *
   * @param usesJson a JSON object {@code {"<key uuid>": "<ISO-8601 instant>", ...}} of well-formed values
   * @return how many keys were updated
   */
  public int recordLastUsed(String usesJson) {
    return getEntityManager().createNativeQuery("""
        update {h-schema}api_key k
           set last_used_at = greatest(coalesce(k.last_used_at, u.at), u.at)
          from (select cast(e.key as uuid) as id, least(cast(e.value as timestamptz), now()) as at
                  from jsonb_each_text(cast(?1 as jsonb)) e) u
         where k.id = u.id""")
        .setParameter(1, usesJson)
        .executeUpdate();
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
