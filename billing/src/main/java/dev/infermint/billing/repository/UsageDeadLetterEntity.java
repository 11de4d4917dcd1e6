package dev.infermint.billing.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A usage stream entry that could not be billed, with its raw fields ({@code billing.usage_dead_letter}). */
@Entity
@Table(name = "usage_dead_letter")
public class UsageDeadLetterEntity extends PanacheEntityBase {

  /** Surrogate key. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  /** The stream the entry came from. */
  @Column(name = "stream_key", nullable = false)
  public String streamKey;

  /** The entry's id in that stream; unique with {@link #streamKey}. */
  @Column(name = "stream_id", nullable = false)
  public String streamId;

  /** The entry's fields as a JSON object of strings. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public String fields;

  /** Why it was not billed. */
  @Column(nullable = false)
  public String reason;

  /** When billing set it aside. */
  @Column(name = "received_at", nullable = false, insertable = false, updatable = false)
  public Instant receivedAt;
}
