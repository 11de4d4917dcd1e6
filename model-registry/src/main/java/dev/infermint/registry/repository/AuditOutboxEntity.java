package dev.infermint.registry.repository;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code registry.audit_outbox}: an audit event not yet confirmed by the tenants service. */
@Entity
@Table(name = "audit_outbox")
public class AuditOutboxEntity {

  /** The event's id, chosen here; the tenants service stores each id once. */
  @Id
  public UUID id;

  /** The tenant that owns the model. */
  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  /** The caller's subject, null for a service without one. */
  public String actor;

  /** {@code user}, {@code api_key} or {@code service}. */
  @Column(name = "actor_kind", nullable = false)
  public String actorKind;

  /** What happened, e.g. {@code model.version_uploaded}. */
  @Column(nullable = false)
  public String action;

  /** What it happened to, e.g. {@code model/sentiment/versions/3}. */
  @Column(nullable = false)
  public String target;

  /** The {@code X-Request-Id} of the request that did it. */
  @Column(name = "request_id")
  public String requestId;

  @Column(name = "occurred_at", nullable = false)
  public Instant occurredAt;

  /** Further facts, e.g. the digest of an uploaded version. */
  @JdbcTypeCode(SqlTypes.JSON)
  public Map<String, Object> details;

  /** Failed deliveries so far, outages of the tenants service included. */
  @Column(nullable = false)
  public int attempts;

  /** Times the tenants service refused this event itself (see {@code AuditRelay}); never reset by an outage. */
  @Column(nullable = false)
  public int refusals;

  /** Not to be sent before this, after a refusal; null to send on the next run. */
  @Column(name = "next_attempt_at")
  public Instant nextAttemptAt;

  /** When the relay set the event aside after too many refusals; null while it is pending. */
  @Column(name = "failed_at")
  public Instant failedAt;

  /** Why the last refusal happened (status and body, or the exception). */
  @Column(name = "last_error")
  public String lastError;
}
