package dev.infermint.registry.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Reads and writes {@code registry.audit_outbox}. */
@ApplicationScoped
public class AuditOutboxRepository implements PanacheRepositoryBase<AuditOutboxEntity, UUID> {

  /**
   * @param limit at most this many
   * @return the oldest pending events first
   */
  public List<AuditOutboxEntity> oldest(int limit) {
    return find("order by occurredAt, id").page(0, limit).list();
  }
}
