package dev.infermint.billing.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stored usage event: one admitted inference call ({@code billing.usage_event}). */
@Entity
@Table(name = "usage_event")
public class UsageEventEntity extends PanacheEntityBase {

  /** Surrogate key. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  /** The event id the gateway minted for the call, unique: the idempotency key. */
  @Column(name = "event_id", nullable = false, unique = true)
  public String eventId;

  /** The client's request id, for correlation only (clients may reuse one); null when it sent none. */
  @Column(name = "request_id")
  public String requestId;

  /** Tenant that made the call. */
  @Column(name = "tenant_id", nullable = false)
  public String tenantId;

  /** Id of the API key that made the call; null for events stored before the usage stream. */
  @Column(name = "key_id")
  public String keyId;

  /** Model name as called. */
  @Column(nullable = false)
  public String model;

  /** Model version the worker ran; null when unknown. */
  @Column(name = "model_version")
  public String modelVersion;

  /** Endpoint called, e.g. {@code /v1/embeddings}. */
  @Column(nullable = false)
  public String endpoint;

  /** Units consumed: tokens for embeddings, batch rows for OIP. */
  @Column(nullable = false)
  public long units;

  /** Compute time the worker reported. */
  @Column(name = "compute_ms", nullable = false)
  public long computeMs;

  /** HTTP status the call answered. */
  @Column(nullable = false)
  public int status;

  /** Whether the call was admitted past the monthly quota under overage {@code bill}. */
  @Column(nullable = false)
  public boolean overage;

  /** When the call happened. */
  @Column(name = "occurred_at", nullable = false)
  public Instant occurredAt;

  /** When billing stored the event. */
  @Column(name = "recorded_at", nullable = false, insertable = false, updatable = false)
  public Instant recordedAt;
}
