package dev.infermint.tenants.repository;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;

/** Reads and writes {@code tenants.tenant}. */
@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<TenantEntity, String> {

  /**
   * @param slug the tenant's slug
   * @return the tenant with that slug, if any
   */
  public Optional<TenantEntity> findBySlug(String slug) {
    return find("slug", slug).firstResultOptional();
  }

  /** @return every tenant, oldest first */
  public List<TenantEntity> listOrdered() {
    return listAll(Sort.by("createdAt").and("slug"));
  }

  /**
   * @param after the last id of the previous page; null for the first page
   * @param limit page size
   * @return up to {@code limit} tenants with ids after {@code after}, by id (deleted ones included)
   */
  public List<TenantEntity> pageById(String after, int limit) {
    return (after == null ? find("order by id") : find("id > ?1 order by id", after)).page(0, limit).list();
  }
}
