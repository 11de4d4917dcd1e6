package dev.infermint.registry.repository;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A named model of one owner (a tenant id, or {@code public} for the catalog). */
@Entity
@Table(name = "model")
public class ModelEntity extends PanacheEntityBase {

  /** Surrogate key. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  /** The owning tenant's id, or {@code public}. */
  @Column(nullable = false)
  public String owner;

  /** The model's name, unique per owner. */
  @Column(nullable = false)
  public String name;

  /** The task of the newest upload. */
  @Column(nullable = false)
  public String task;

  /** The highest version ever given out; the next upload gets this plus one. */
  @Column(name = "last_version", nullable = false)
  public int lastVersion;

  /** When the first version was uploaded. */
  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /** Free text about the model, null when none. */
  public String description;

  /** String tags, key to value; empty when none. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public Map<String, String> tags = new LinkedHashMap<>();
}
