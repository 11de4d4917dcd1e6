package dev.infermint.worker.service;

import java.util.Locale;
import java.util.Optional;

import ai.djl.ndarray.types.DataType;

/** The Open Inference Protocol's tensor datatypes that the worker knows, and their DJL counterparts. */
public enum Datatype {
  /** Booleans, JSON {@code true}/{@code false}. */
  BOOL(DataType.BOOLEAN, true),
  /** Unsigned 8-bit integers. */
  UINT8(DataType.UINT8, true),
  /** Signed 8-bit integers. */
  INT8(DataType.INT8, true),
  /** Signed 32-bit integers. */
  INT32(DataType.INT32, true),
  /** Signed 64-bit integers. */
  INT64(DataType.INT64, true),
  /** Half-precision floats: described, but not accepted as input. */
  FP16(DataType.FLOAT16, false),
  /** Single-precision floats. */
  FP32(DataType.FLOAT32, true),
  /** Double-precision floats. */
  FP64(DataType.FLOAT64, true),
  /** Strings (UTF-8), JSON strings. */
  BYTES(DataType.STRING, true);

  private final DataType djl;
  private final boolean accepted;

  Datatype(DataType djl, boolean accepted) {
    this.djl = djl;
    this.accepted = accepted;
  }

  /** @return the DJL data type */
  public DataType djl() {
    return djl;
  }

  /** @return whether the worker accepts tensors of this type as input */
  public boolean accepted() {
    return accepted;
  }

  /** @return whether values are whole numbers */
  public boolean integral() {
    return this == UINT8 || this == INT8 || this == INT32 || this == INT64;
  }

  /**
   * Reads a datatype written the OIP way ({@code FP32}) or the ONNX way ({@code FLOAT}, {@code tensor(float)}).
   *
   * @param name the name, any case; may be null
   * @return the datatype, or empty when unknown
   */
  public static Optional<Datatype> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (n.startsWith("TENSOR(") && n.endsWith(")")) {
      n = n.substring(7, n.length() - 1);
    }
    return Optional.ofNullable(switch (n) {
      case "BOOL", "BOOLEAN" -> BOOL;
      case "UINT8" -> UINT8;
      case "INT8" -> INT8;
      case "INT32" -> INT32;
      case "INT64" -> INT64;
      case "FP16", "FLOAT16" -> FP16;
      case "FP32", "FLOAT", "FLOAT32" -> FP32;
      case "FP64", "DOUBLE", "FLOAT64" -> FP64;
      case "BYTES", "STRING" -> BYTES;
      default -> null;
    });
  }

  /**
   * The OIP datatype of a DJL array.
   *
   * @param type the DJL type
   * @return the datatype, or empty when OIP has none the worker supports
   */
  public static Optional<Datatype> of(DataType type) {
    for (Datatype d : values()) {
      if (d.djl == type) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
