package dev.infermint.tenants.repository;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code tenants.audit_event}: one management action, who did it and in which request. */
@Entity
@Table(name = "audit_event")
public class AuditEventEntity {

  /** Increasing with insertion order; the cursor of the audit listing. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  /** The sender's id of an event another service sent ({@code POST /internal/audit}); null for our own. */
  @Column(name = "event_id")
  public UUID eventId;

  /** The tenant the action concerns, null for none. */
  @Column(name = "tenant_id")
  public String tenantId;

  /** The caller's subject: user id, API key id, or null for a service without one. */
  public String actor;

  /** How the actor authenticated: {@code user}, {@code api_key} or {@code service}. */
  @Column(name = "actor_kind", nullable = false)
  public String actorKind;

  /** What happened, e.g. {@code api_key.revoked}. */
  @Column(nullable = false)
  public String action;

  /** The id of what it happened to (tenant, key or user id). */
  public String target;

  /** The {@code X-Request-Id} of the request that did it, when it carried one. */
  @Column(name = "request_id")
  public String requestId;

  @Column(name = "occurred_at", nullable = false)
  public Instant occurredAt;

  /** Further facts, e.g. the old and the new plan. */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> details;
}
