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

/** A movable name ({@code production}, {@code staging}...) for one version of a model. */
@Entity
@Table(name = "model_alias")
@IdClass(ModelAliasEntity.Key.class)
public class ModelAliasEntity extends PanacheEntityBase {

  /** The model. */
  @Id
  @Column(name = "model_id")
  public Long modelId;

  /** The alias name. */
  @Id
  public String alias;

  /** The version it points at. */
  @Column(nullable = false)
  public int version;

  /** When it was last moved. */
  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  /** Composite key of an alias. */
  public static class Key implements Serializable {

    /** The model. */
    public Long modelId;
    /** The alias name. */
    public String alias;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(modelId, k.modelId) && Objects.equals(alias, k.alias);
    }

    @Override
    public int hashCode() {
      return Objects.hash(modelId, alias);
    }
  }
}
