package dev.infermint.registry.repository;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One replica of a model version assigned to a worker. */
@Entity
@Table(name = "placement")
@IdClass(PlacementEntity.Key.class)
public class PlacementEntity extends PanacheEntityBase {

  /** Assigned, not yet reported loaded. */
  public static final String ASSIGNED = "assigned";
  /** Loaded and servable on the worker. */
  public static final String READY = "ready";
  /** The worker could not load it; {@link #reason} says why. */
  public static final String FAILED = "failed";

  /** The model. */
  @Id
  @Column(name = "model_id")
  public Long modelId;

  /** The version. */
  @Id
  public Integer version;

  /** The worker. */
  @Id
  @Column(name = "worker_id")
  public String workerId;

  /** {@link #ASSIGNED}, {@link #READY} or {@link #FAILED}. */
  @Column(nullable = false)
  public String state;

  /** Why it failed, as the worker said. */
  @Column
  public String reason;

  /** What it weighs against the worker's budget. */
  @Column(nullable = false)
  public long weight;

  /** When it was assigned. */
  @Column(name = "assigned_at", nullable = false)
  public Instant assignedAt;

  /** When the worker first reported it ready. */
  @Column(name = "ready_at")
  public Instant readyAt;

  /** The composite key. */
  public static class Key implements Serializable {
    /** The model. */
    public Long modelId;
    /** The version. */
    public Integer version;
    /** The worker. */
    public String workerId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(modelId, k.modelId) && Objects.equals(version, k.version)
          && Objects.equals(workerId, k.workerId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(modelId, version, workerId);
    }
  }
}
