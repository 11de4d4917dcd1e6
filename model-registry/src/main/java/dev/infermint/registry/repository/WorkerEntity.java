package dev.infermint.registry.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An inference worker as it last registered, and when it last heartbeat. */
@Entity
@Table(name = "worker")
public class WorkerEntity extends PanacheEntityBase {

  /** The worker's id ({@code infermint.worker.id}). */
  @Id
  public String id;

  /** Base URL the gateways call it on. */
  @Column(nullable = false)
  public String url;

  /** {@code cpu} or {@code gpu}. */
  @Column(nullable = false)
  public String device;

  /** Bytes of models it may hold. */
  @Column(name = "memory_budget_bytes", nullable = false)
  public long memoryBudgetBytes;

  /** What a model weighs on it: file size times this. */
  @Column(name = "memory_factor", nullable = false)
  public double memoryFactor;

  /** First registration. */
  @Column(name = "registered_at", nullable = false)
  public Instant registeredAt;

  /** Last heartbeat. */
  @Column(name = "last_heartbeat", nullable = false)
  public Instant lastHeartbeat;

  /** When it was found lost (no heartbeat within the TTL); null while alive. */
  @Column(name = "lost_at")
  public Instant lostAt;

  /**
   * @param cutoff heartbeats before this are too old
   * @return whether the worker counts as alive: not marked lost, and heard from since the cutoff
   */
  public boolean liveSince(Instant cutoff) {
    return lostAt == null && !lastHeartbeat.isBefore(cutoff);
  }

  /**
   * @param sizeBytes a model file's size
   * @return what that model weighs against this worker's budget
   */
  public long weightOf(long sizeBytes) {
    return Math.max(1, (long) Math.ceil(sizeBytes * (memoryFactor <= 0 ? 1 : memoryFactor)));
  }
}
