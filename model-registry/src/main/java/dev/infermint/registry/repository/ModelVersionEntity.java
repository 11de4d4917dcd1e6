package dev.infermint.registry.repository;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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

import dev.infermint.registry.service.TensorSignature;

/** One immutable uploaded version of a model. */
@Entity
@Table(name = "model_version")
public class ModelVersionEntity extends PanacheEntityBase {

  /** Surrogate key. */
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  /** The model this version belongs to. */
  @Column(name = "model_id", nullable = false)
  public Long modelId;

  /** 1, 2, 3... per model. */
  @Column(nullable = false)
  public int version;

  /** {@code embedding}, {@code classification} or {@code generic}. */
  @Column(nullable = false)
  public String task;

  /** {@code sha256:<hex>} of the ONNX file. */
  @Column(nullable = false)
  public String digest;

  /** Size of the ONNX file. */
  @Column(name = "size_bytes", nullable = false)
  public long sizeBytes;

  /** Default-domain opset, null when the file imports none. */
  public Integer opset;

  /** Graph inputs. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public List<TensorSignature> inputs;

  /** Graph outputs. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public List<TensorSignature> outputs;

  /** {@code sha256:<hex>} of the tokenizer.json, when one was uploaded. */
  @Column(name = "tokenizer_digest")
  public String tokenizerDigest;

  /** Class labels by index, when given. */
  @JdbcTypeCode(SqlTypes.JSON)
  public List<String> labels;

  /** Upload time. */
  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /** Free text about the version, null when none. */
  public String description;

  /** String tags, key to value; empty when none. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public Map<String, String> tags = new LinkedHashMap<>();
}
