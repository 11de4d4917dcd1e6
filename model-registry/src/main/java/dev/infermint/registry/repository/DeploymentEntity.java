package dev.infermint.registry.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** How a model should be served: replicas, device and batching. */
@Entity
@Table(name = "deployment")
public class DeploymentEntity extends PanacheEntityBase {

  /** The model (one deployment per model). */
  @Id
  @Column(name = "model_id")
  public Long modelId;

  /** Worker replicas wanted, 0 to 16. */
  @Column(nullable = false)
  public int replicas;

  /** {@code cpu} or {@code gpu}. */
  @Column(nullable = false)
  public String device;

  /** Largest batch the worker forms, 1 to 1024. */
  @Column(name = "max_batch_size", nullable = false)
  public int maxBatchSize;

  /** How long a request may wait for a batch to fill, 0 to 10000 ms. */
  @Column(name = "max_queue_delay_ms", nullable = false)
  public int maxQueueDelayMs;

  /** Batches of the model one worker runs at the same time, 1 to 16; null for the worker's default. */
  @Column
  public Integer instances;

  /**
   * The version calls without a version run now; it moves to the target version (production alias, else newest) only
   * once that is ready on its replicas. Null before the first placement.
   */
  @Column(name = "serving_version")
  public Integer servingVersion;

  /** When it was last changed. */
  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
