package dev.infermint.worker.service;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

import ai.onnxruntime.TensorInfo.OnnxTensorType;

/**
 * The Open Inference Protocol's tensor datatypes, each with its size in the binary tensor data extension, its range
 * and what ONNX Runtime calls it.
 *
 * <p>Inputs: ONNX Runtime's Java API (1.21.1) creates tensors of every type here except {@code UINT16},
 * {@code UINT32} and {@code UINT64} ({@code OnnxJavaType} has no such members), so a model input of those types
 * cannot be fed from the JVM: such a request is refused with a 422 naming the input rather than converted to a type
 * the model does not take. Outputs of every type here are read back exactly (unsigned ones from their bits).
 */
public enum Datatype {
  /** Booleans: JSON {@code true}/{@code false}; one byte (0 or 1) in binary. */
  BOOL(1, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, 0, 1),
  /** Unsigned 8-bit integers. */
  UINT8(1, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, 0, 255),
  /** Unsigned 16-bit integers (not creatable as input from the JVM). */
  UINT16(2, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16, 0, 65_535),
  /** Unsigned 32-bit integers (not creatable as input from the JVM). */
  UINT32(4, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32, 0, 4_294_967_295L),
  /** Unsigned 64-bit integers (not creatable as input from the JVM). */
  UINT64(8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64, 0, -1),
  /** Signed 8-bit integers. */
  INT8(1, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, Byte.MIN_VALUE, Byte.MAX_VALUE),
  /** Signed 16-bit integers. */
  INT16(2, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, Short.MIN_VALUE, Short.MAX_VALUE),
  /** Signed 32-bit integers. */
  INT32(4, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, Integer.MIN_VALUE, Integer.MAX_VALUE),
  /** Signed 64-bit integers. */
  INT64(8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, Long.MIN_VALUE, Long.MAX_VALUE),
  /** IEEE 754 half-precision floats: JSON numbers rounded to the nearest half, at most 65504 in magnitude. */
  FP16(2, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, 0, 0),
  /** Single-precision floats. */
  FP32(4, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, 0, 0),
  /** Double-precision floats. */
  FP64(8, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, 0, 0),
  /** Strings: JSON strings (UTF-8); in binary each a 4-byte little-endian length, then its bytes. */
  BYTES(-1, OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, 0, 0);

  /** The largest unsigned 64-bit value, 2^64 - 1. */
  public static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final int size;
  private final OnnxTensorType onnx;
  private final long min;
  private final long max;

  Datatype(int size, OnnxTensorType onnx, long min, long max) {
    this.size = size;
    this.onnx = onnx;
    this.min = min;
    this.max = max;
  }

  /** @return bytes per element in the binary tensor data extension; -1 for {@code BYTES} (length-prefixed) */
  public int size() {
    return size;
  }

  /** @return whether ONNX Runtime's Java API can create an input tensor of this type */
  public boolean feedable() {
    return this != UINT16 && this != UINT32 && this != UINT64;
  }

  /** @return whether values are whole numbers (BOOL excluded) */
  public boolean integral() {
    return this != BOOL && this != FP16 && this != FP32 && this != FP64 && this != BYTES;
  }

  /** @return whether the values are unsigned integers */
  public boolean unsigned() {
    return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
  }

  /** @return the smallest value of an integral type */
  public long min() {
    return min;
  }

  /** @return the largest value of an integral type ({@code UINT64}: see {@link #UINT64_MAX}) */
  public long max() {
    return max;
  }

  /** @return ONNX Runtime's element type */
  public OnnxTensorType onnx() {
    return onnx;
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
      case "UINT16" -> UINT16;
      case "UINT32" -> UINT32;
      case "UINT64" -> UINT64;
      case "INT8" -> INT8;
      case "INT16" -> INT16;
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
   * The OIP datatype of an ONNX Runtime tensor.
   *
   * @param type ONNX Runtime's element type
   * @return the datatype, or empty when OIP has none (bfloat16, float8...)
   */
  public static Optional<Datatype> of(OnnxTensorType type) {
    for (Datatype d : values()) {
      if (d.onnx == type) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
