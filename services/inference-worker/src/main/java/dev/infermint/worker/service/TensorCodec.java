package dev.infermint.worker.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.rest.InferOutputTensor;

/**
 * Converts OIP JSON tensors to DJL arrays and back. Input data may be flat or nested to any depth; it is read in
 * row-major order and must hold exactly as many elements as the shape says, each a valid value of the datatype.
 */
final class TensorCodec {

  private TensorCodec() {
  }

  /**
   * An input tensor checked and converted to a Java array.
   *
   * @param name the tensor name
   * @param type its datatype
   * @param shape its dimensions
   * @param values {@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}, {@code byte[]},
   *     {@code boolean[]} or {@code String[]}
   */
  record Decoded(String name, Datatype type, long[] shape, Object values) {

    /** Creates the named DJL array in the given manager. */
    NDArray toArray(NDManager manager) {
      Shape s = new Shape(shape);
      NDArray array = switch (type) {
        case FP32 -> manager.create((float[]) values, s);
        case FP64 -> manager.create((double[]) values, s);
        case INT32 -> manager.create((int[]) values, s);
        case INT64 -> manager.create((long[]) values, s);
        case INT8 -> manager.create(ByteBuffer.wrap((byte[]) values), s, DataType.INT8);
        case UINT8 -> manager.create(ByteBuffer.wrap((byte[]) values), s, DataType.UINT8);
        case BOOL -> manager.create((boolean[]) values, s);
        case BYTES -> manager.create((String[]) values, StandardCharsets.UTF_8, s);
        case FP16 -> throw new IllegalStateException("FP16 input is refused before it gets here");
      };
      array.setName(name);
      return array;
    }
  }

  /**
   * Reads a shape: a list of non-negative integers.
   *
   * @param tensor the tensor's name, for errors
   * @param shape the JSON value
   * @return the dimensions
   * @throws ProblemException 400 naming the tensor when it is not such a list
   */
  static long[] shape(String tensor, JsonNode shape) {
    if (shape == null || shape.isNull() || shape.isMissingNode()) {
      throw InferenceProblems.invalidTensor(tensor, "shape is missing");
    }
    if (!shape.isArray()) {
      throw InferenceProblems.invalidTensor(tensor, "shape must be a list of non-negative integers, not " + shape);
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw InferenceProblems.invalidTensor(tensor, "shape must be a list of non-negative integers, not " + shape);
      }
      dims[i] = d.asLong();
    }
    return dims;
  }

  /**
   * Reads a tensor's data.
   *
   * @param tensor the tensor's name, for errors
   * @param type its datatype
   * @param shape its (checked) dimensions
   * @param elements the product of the dimensions
   * @param data the JSON data, flat or nested
   * @return the tensor as a Java array
   * @throws ProblemException 400 naming the tensor on a wrong count or a wrong value
   */
  static Decoded decode(String tensor, Datatype type, long[] shape, int elements, JsonNode data) {
    if (data == null || data.isNull() || data.isMissingNode()) {
      throw InferenceProblems.invalidTensor(tensor, "data is missing");
    }
    Reader reader = new Reader(tensor, type, elements);
    reader.visit(data);
    if (reader.count != elements) {
      throw InferenceProblems.invalidTensor(tensor, "data has " + reader.count + " elements, but shape "
          + Arrays.toString(shape) + " needs " + elements);
    }
    return new Decoded(tensor, type, shape, reader.values);
  }

  /**
   * Writes a DJL output array as an OIP tensor, data flat in row-major order.
   *
   * @param model the model's name, for errors
   * @param array the output
   * @return the OIP tensor
   * @throws ProblemException 422 when the output's type has no OIP form the worker writes
   */
  static InferOutputTensor encode(String model, NDArray array) {
    DataType type = array.getDataType();
    Object data = switch (type) {
      case FLOAT32 -> array.toFloatArray();
      case FLOAT64 -> array.toDoubleArray();
      case INT32 -> array.toIntArray();
      case INT64 -> array.toLongArray();
      case INT8 -> toInts(array.toByteArray(), false);
      case UINT8 -> toInts(array.toByteArray(), true);
      case BOOLEAN -> array.toBooleanArray();
      case STRING -> array.toStringArray(StandardCharsets.UTF_8);
      default -> throw InferenceProblems.inferenceFailed(model, "output '" + array.getName() + "' has type "
          + type + ", which the worker cannot return");
    };
    String datatype = Datatype.of(type).map(Enum::name).orElse(type.name());
    return new InferOutputTensor(array.getName(), array.getShape().getShape(), datatype, data);
  }

  private static int[] toInts(byte[] bytes, boolean unsigned) {
    int[] ints = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ints[i] = unsigned ? bytes[i] & 0xFF : bytes[i];
    }
    return ints;
  }

  /** Walks nested JSON arrays depth first, writing leaves into a typed array. */
  private static final class Reader {
    private final String tensor;
    private final Datatype type;
    private final int capacity;
    private final Object values;
    private int count;

    Reader(String tensor, Datatype type, int capacity) {
      this.tensor = tensor;
      this.type = type;
      this.capacity = capacity;
      this.values = switch (type) {
        case FP32 -> new float[capacity];
        case FP64 -> new double[capacity];
        case INT32 -> new int[capacity];
        case INT64 -> new long[capacity];
        case INT8, UINT8 -> new byte[capacity];
        case BOOL -> new boolean[capacity];
        case BYTES -> new String[capacity];
        case FP16 -> throw new IllegalStateException("FP16 input is refused before it gets here");
      };
    }

    void visit(JsonNode node) {
      if (node.isArray()) {
        for (JsonNode child : node) {
          visit(child);
        }
        return;
      }
      if (count < capacity) {
        write(count, node);
      }
      count++;
    }

    private void write(int i, JsonNode v) {
      switch (type) {
        case FP32 -> ((float[]) values)[i] = (float) number(i, v);
        case FP64 -> ((double[]) values)[i] = number(i, v);
        case INT64 -> ((long[]) values)[i] = integer(i, v, Long.MIN_VALUE, Long.MAX_VALUE);
        case INT32 -> ((int[]) values)[i] = (int) integer(i, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
        case INT8 -> ((byte[]) values)[i] = (byte) integer(i, v, Byte.MIN_VALUE, Byte.MAX_VALUE);
        case UINT8 -> ((byte[]) values)[i] = (byte) integer(i, v, 0, 255);
        case BOOL -> {
          if (!v.isBoolean()) {
            throw wrong(i, v);
          }
          ((boolean[]) values)[i] = v.booleanValue();
        }
        case BYTES -> {
          if (!v.isTextual()) {
            throw wrong(i, v);
          }
          ((String[]) values)[i] = v.textValue();
        }
        case FP16 -> throw new IllegalStateException("FP16 input is refused before it gets here");
      }
    }

    private double number(int i, JsonNode v) {
      if (!v.isNumber()) {
        throw wrong(i, v);
      }
      return v.doubleValue();
    }

    private long integer(int i, JsonNode v, long min, long max) {
      long value;
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        value = v.longValue();
      } else if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
          && Math.abs(v.doubleValue()) < 9.007199254740992E15) {
        value = (long) v.doubleValue();
      } else {
        throw wrong(i, v);
      }
      if (value < min || value > max) {
        throw InferenceProblems.invalidTensor(tensor, "element " + i + " (" + v + ") is out of range for "
            + type + " [" + min + ", " + max + "]");
      }
      return value;
    }

    private ProblemException wrong(int i, JsonNode v) {
      String shown = v.toString();
      if (shown.length() > 40) {
        shown = shown.substring(0, 40) + "...";
      }
      return InferenceProblems.invalidTensor(tensor, "element " + i + " (" + shown + ") is not a valid " + type
          + " value");
    }
  }
}
