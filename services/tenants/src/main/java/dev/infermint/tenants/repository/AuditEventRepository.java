package dev.infermint.tenants.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Reads and writes {@code tenants.audit_event}. */
@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEventEntity, Long> {

  /**
   * @param eventId the sender's id of an event
   * @return the event stored under that id
   */
  public Optional<AuditEventEntity> findByEventId(UUID eventId) {
    return find("eventId", eventId).firstResultOptional();
  }

  /**
   * @param tenantId the tenant
   * @param before only events with a smaller id, or null for the newest
   * @param limit at most this many
   * @return the tenant's events, newest first
   */
  public List<AuditEventEntity> page(String tenantId, Long before, int limit) {
    if (before == null) {
      return find("tenantId = ?1 order by id desc", tenantId).page(0, limit).list();
    }
    return find("tenantId = ?1 and id < ?2 order by id desc", tenantId, before).page(0, limit).list();
  }
}
