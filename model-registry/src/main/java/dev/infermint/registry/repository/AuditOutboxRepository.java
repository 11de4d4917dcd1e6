package dev.infermint.registry.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Reads and writes {@code registry.audit_outbox}. */
@ApplicationScoped
public class AuditOutboxRepository implements PanacheRepositoryBase<AuditOutboxEntity, UUID> {

  /**
   * @param now the current time
   * @param limit at most this many
   * @return the events due for delivery (not set aside, not waiting after a refusal), oldest first
   */
  public List<AuditOutboxEntity> due(Instant now, int limit) {
    return find("failedAt is null and (nextAttemptAt is null or nextAttemptAt <= ?1) order by occurredAt, id", now)
        .page(0, limit).list();
  }

  /** @return how many events are waiting for delivery, set-aside ones left out */
  public long countPending() {
    return count("failedAt is null");
  }
}
