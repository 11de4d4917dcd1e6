package dev.infermint.worker.service;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtNDArray;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.rest.InferOutputTensor;

/**
 * Converts OIP tensors to ONNX Runtime inputs and ONNX Runtime outputs to OIP tensors, in both of the protocol's
 * forms: JSON (data flat or nested to any depth, read in row-major order) and the binary tensor data extension
 * (little-endian, row-major, no padding; BOOL one byte 0 or 1; BYTES each a 4-byte little-endian length and its
 * bytes). Input data must hold exactly as many elements as the shape says, each a valid value of the datatype:
 * integers within the type's range, floats finite and within it (FP16 rounds to the nearest half, at most 65504).
 *
 * <p>In memory an input is a Java array: {@code boolean[]} BOOL, {@code byte[]} UINT8/INT8, {@code short[]} INT16
 * and FP16 (its IEEE half bits), {@code int[]} INT32, {@code long[]} INT64, {@code float[]} FP32, {@code double[]}
 * FP64, {@code String[]} BYTES. An output's data is what JSON writes as numbers: {@code int[]} for 8- and 16-bit
 * unsigned and INT8, {@code short[]} INT16, {@code long[]} UINT32 and INT64, {@code long[]} or {@code BigInteger[]}
 * (when a value is 2^63 or more) UINT64, {@code float[]} FP16 and FP32, {@code double[]} FP64, {@code boolean[]},
 * {@code String[]}.
 */
public final class TensorCodec {

  private TensorCodec() {
  }

  /**
   * An input tensor checked and converted to a Java array.
   *
   * @param name the tensor name
   * @param type its datatype
   * @param shape its dimensions
   * @param values the elements, as the class comment lists per type
   */
  record Decoded(String name, Datatype type, long[] shape, Object values) {

    /** Creates the named array in the given (ONNX Runtime) manager. */
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
        case FP16 -> OrtTensors.shorts(manager, (short[]) values, shape, OnnxJavaType.FLOAT16);
        case INT16 -> OrtTensors.shorts(manager, (short[]) values, shape, OnnxJavaType.INT16);
        case UINT16, UINT32, UINT64 -> throw new IllegalStateException(type + " input is refused before it gets here");
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
      throw InferenceProblems.invalidTensor(tensor, "shape must be a list of non-negative integers, not "
          + shown(shape));
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
        throw InferenceProblems.invalidTensor(tensor, "shape must be a list of non-negative integers, not "
            + shown(shape) + " (dimension " + i + " is " + shown(d) + ")");
      }
      dims[i] = d.asLong();
    }
    return dims;
  }

  /**
   * Reads a tensor's JSON data.
   *
   * @param tensor the tensor's name, for errors
   * @param type its datatype (one ONNX Runtime can be fed)
   * @param shape its (checked) dimensions
   * @param elements the product of the dimensions
   * @param data the JSON data, flat or nested
   * @return the tensor as a Java array
   * @throws ProblemException 400 naming the tensor on a wrong count or a wrong value
   */
  static Decoded decode(String tensor, Datatype type, long[] shape, int elements, JsonNode data) {
    if (data == null || data.isNull() || data.isMissingNode()) {
      throw InferenceProblems.invalidTensor(tensor, "data is missing (or give parameters.binary_data_size and the"
          + " bytes after the JSON header)");
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
   * Reads a tensor's data from the binary tensor data extension.
   *
   * @param tensor the tensor's name, for errors
   * @param type its datatype (one ONNX Runtime can be fed)
   * @param shape its (checked) dimensions
   * @param elements the product of the dimensions
   * @param bytes exactly the tensor's {@code binary_data_size} bytes
   * @return the tensor as a Java array
   * @throws ProblemException 400 naming the tensor when the size does not match shape × datatype or a value is wrong
   */
  static Decoded decodeBinary(String tensor, Datatype type, long[] shape, int elements, ByteBuffer bytes) {
    ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (type == Datatype.BYTES) {
      return new Decoded(tensor, type, shape, strings(tensor, shape, elements, in));
    }
    long want = (long) elements * type.size();
    if (in.remaining() != want) {
      throw InferenceProblems.invalidTensor(tensor, "binary_data_size is " + in.remaining() + " bytes, but shape "
          + Arrays.toString(shape) + " of " + type + " needs " + elements + " × " + type.size() + " = " + want);
    }
    Object values = switch (type) {
      case BOOL -> {
        boolean[] v = new boolean[elements];
        for (int i = 0; i < elements; i++) {
          byte b = in.get(i);
          if (b != 0 && b != 1) {
            throw InferenceProblems.invalidTensor(tensor, "element " + i + " is the byte " + (b & 0xFF)
                + "; a binary BOOL is 0 or 1");
          }
          v[i] = b == 1;
        }
        yield v;
      }
      case UINT8, INT8 -> {
        byte[] v = new byte[elements];
        in.get(v);
        yield v;
      }
      case INT16, FP16 -> {
        short[] v = new short[elements];
        in.asShortBuffer().get(v);
        yield v;
      }
      case INT32 -> {
        int[] v = new int[elements];
        in.asIntBuffer().get(v);
        yield v;
      }
      case INT64 -> {
        long[] v = new long[elements];
        in.asLongBuffer().get(v);
        yield v;
      }
      case FP32 -> {
        float[] v = new float[elements];
        in.asFloatBuffer().get(v);
        yield v;
      }
      case FP64 -> {
        double[] v = new double[elements];
        in.asDoubleBuffer().get(v);
        yield v;
      }
      case BYTES, UINT16, UINT32, UINT64 -> throw new IllegalStateException(type + " is not read here");
    };
    return new Decoded(tensor, type, shape, values);
  }

  private static String[] strings(String tensor, long[] shape, int elements, ByteBuffer in) {
    String[] v = new String[elements];
    var utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    int count = 0;
    while (in.hasRemaining()) {
      if (in.remaining() < 4) {
        throw InferenceProblems.invalidTensor(tensor, "binary BYTES element " + count + " needs a 4-byte length,"
            + " but only " + in.remaining() + " bytes remain");
      }
      long length = in.getInt() & 0xFFFF_FFFFL;
      if (length > in.remaining()) {
        throw InferenceProblems.invalidTensor(tensor, "binary BYTES element " + count + " says it is " + length
            + " bytes long, but only " + in.remaining() + " bytes remain of its binary_data_size");
      }
      if (count >= elements) {
        throw InferenceProblems.invalidTensor(tensor, "binary data holds more than the " + elements
            + " BYTES elements shape " + Arrays.toString(shape) + " needs");
      }
      ByteBuffer text = in.slice().limit((int) length);
      in.position(in.position() + (int) length);
      try {
        CharBuffer chars = utf8.decode(text);
        v[count] = chars.toString();
      } catch (CharacterCodingException e) {
        throw InferenceProblems.invalidTensor(tensor, "binary BYTES element " + count + " is not valid UTF-8,"
            + " which ONNX Runtime's string tensors need");
      }
      count++;
    }
    if (count != elements) {
      throw InferenceProblems.invalidTensor(tensor, "binary data holds " + count + " BYTES elements, but shape "
          + Arrays.toString(shape) + " needs " + elements);
    }
    return v;
  }

  /**
   * Writes an ONNX Runtime output as an OIP tensor, data flat in row-major order, its datatype read from the
   * tensor itself (so unsigned outputs keep their sign, which DJL's types lose).
   *
   * @param model the model's name, for errors
   * @param array the output
   * @return the OIP tensor
   * @throws ProblemException 422 when the output's type has no OIP form (bfloat16, float8...)
   */
  static InferOutputTensor encode(String model, NDArray array) {
    if (!(array instanceof OrtNDArray ort)) {
      throw InferenceProblems.inferenceFailed(model, "output '" + array.getName() + "' is not a tensor");
    }
    OnnxTensor tensor = ort.getTensor();
    Datatype type = Datatype.of(tensor.getInfo().onnxType).orElseThrow(() -> InferenceProblems.inferenceFailed(
        model, "output '" + array.getName() + "' has element type " + tensor.getInfo().onnxType
            + ", which the Open Inference Protocol has no datatype for"));
    long[] shape = tensor.getInfo().getShape();
    Object data = type == Datatype.BYTES ? array.toStringArray(StandardCharsets.UTF_8)
        : fromBytes(type, tensor.getByteBuffer().order(ByteOrder.nativeOrder()));
    return new InferOutputTensor(array.getName(), shape, type.name(), null, data);
  }

  private static Object fromBytes(Datatype type, ByteBuffer in) {
    int n = in.remaining() / type.size();
    return switch (type) {
      case BOOL -> {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = in.get(i) != 0;
        }
        yield v;
      }
      case UINT8, INT8 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = type == Datatype.UINT8 ? in.get(i) & 0xFF : in.get(i);
        }
        yield v;
      }
      case INT16 -> {
        short[] v = new short[n];
        in.asShortBuffer().get(v);
        yield v;
      }
      case UINT16 -> {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = in.getShort(i * 2) & 0xFFFF;
        }
        yield v;
      }
      case INT32 -> {
        int[] v = new int[n];
        in.asIntBuffer().get(v);
        yield v;
      }
      case UINT32 -> {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = in.getInt(i * 4) & 0xFFFF_FFFFL;
        }
        yield v;
      }
      case INT64 -> {
        long[] v = new long[n];
        in.asLongBuffer().get(v);
        yield v;
      }
      case UINT64 -> {
        long[] v = new long[n];
        in.asLongBuffer().get(v);
        yield Arrays.stream(v).allMatch(x -> x >= 0) ? v
            : Arrays.stream(v).mapToObj(x -> new BigInteger(Long.toUnsignedString(x))).toArray(BigInteger[]::new);
      }
      case FP16 -> {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = halfToFloat(in.getShort(i * 2));
        }
        yield v;
      }
      case FP32 -> {
        float[] v = new float[n];
        in.asFloatBuffer().get(v);
        yield v;
      }
      case FP64 -> {
        double[] v = new double[n];
        in.asDoubleBuffer().get(v);
        yield v;
      }
      case BYTES -> throw new IllegalStateException("BYTES are read as strings");
    };
  }

  /**
   * Writes an output tensor's data in the binary tensor data extension's form.
   *
   * @param type the output's datatype
   * @param data its data, as {@link #encode} made it
   * @return the little-endian bytes
   */
  public static byte[] toBinary(Datatype type, Object data) {
    if (type == Datatype.BYTES) {
      String[] v = (String[]) data;
      byte[][] utf8 = new byte[v.length][];
      int total = 0;
      for (int i = 0; i < v.length; i++) {
        utf8[i] = v[i].getBytes(StandardCharsets.UTF_8);
        total += 4 + utf8[i].length;
      }
      ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
      for (byte[] b : utf8) {
        out.putInt(b.length).put(b);
      }
      return out.array();
    }
    int n = java.lang.reflect.Array.getLength(data);
    ByteBuffer out = ByteBuffer.allocate(n * type.size()).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case BOOL -> {
        for (boolean b : (boolean[]) data) {
          out.put((byte) (b ? 1 : 0));
        }
      }
      case UINT8, INT8 -> {
        for (int x : (int[]) data) {
          out.put((byte) x);
        }
      }
      case INT16 -> out.asShortBuffer().put((short[]) data);
      case UINT16 -> {
        for (int x : (int[]) data) {
          out.putShort((short) x);
        }
      }
      case INT32 -> out.asIntBuffer().put((int[]) data);
      case UINT32 -> {
        for (long x : (long[]) data) {
          out.putInt((int) x);
        }
      }
      case INT64 -> out.asLongBuffer().put((long[]) data);
      case UINT64 -> {
        if (data instanceof long[] v) {
          out.asLongBuffer().put(v);
        } else {
          for (BigInteger x : (BigInteger[]) data) {
            out.putLong(x.longValue());
          }
        }
      }
      case FP16 -> {
        for (float x : (float[]) data) {
          out.putShort(floatToHalf(x));
        }
      }
      case FP32 -> out.asFloatBuffer().put((float[]) data);
      case FP64 -> out.asDoubleBuffer().put((double[]) data);
      case BYTES -> throw new IllegalStateException("written above");
    }
    return out.array();
  }

  /**
   * Converts IEEE 754 half-precision bits to a float (exact).
   *
   * @param h the half's bits
   * @return its value
   */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
    }
    if (exp == 0) {
      // Zero or subnormal: mant × 2^-24.
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /**
   * Converts a float to the nearest IEEE 754 half (ties to even); beyond the half range it becomes infinity, which
   * {@link Reader} refuses before it gets here.
   *
   * @param f the value
   * @return the half's bits
   */
  static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xFF;
    int mant = bits & 0x7F_FFFF;
    if (exp == 0xFF) {
      return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1F) {
      return (short) (sign | 0x7C00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      // Subnormal half: shift the mantissa (with its implicit 1) right, rounding to nearest even.
      int m = mant | 0x80_0000;
      int shift = 14 - e;
      int half = m >>> shift;
      int rest = m & ((1 << shift) - 1);
      int midpoint = 1 << (shift - 1);
      if (rest > midpoint || (rest == midpoint && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rest = mant & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      // May carry into the exponent, up to infinity: both are the correctly rounded result.
      half++;
    }
    return (short) (sign | half);
  }

  private static String shown(JsonNode v) {
    String s = v.toString();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
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
        case INT16, FP16 -> new short[capacity];
        case BOOL -> new boolean[capacity];
        case BYTES -> new String[capacity];
        case UINT16, UINT32, UINT64 -> throw new IllegalStateException(type + " input is refused before it gets here");
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
        case FP32 -> ((float[]) values)[i] = (float) number(i, v, Float.MAX_VALUE);
        case FP64 -> ((double[]) values)[i] = number(i, v, Double.MAX_VALUE);
        case FP16 -> {
          short half = floatToHalf((float) number(i, v, Double.MAX_VALUE));
          if ((half & 0x7C00) == 0x7C00) {
            throw tooLarge(i, v);
          }
          ((short[]) values)[i] = half;
        }
        case INT64, INT32, INT16, INT8, UINT8 -> {
          long x = integer(i, v);
          switch (type) {
            case INT64 -> ((long[]) values)[i] = x;
            case INT32 -> ((int[]) values)[i] = (int) x;
            case INT16 -> ((short[]) values)[i] = (short) x;
            default -> ((byte[]) values)[i] = (byte) x;
          }
        }
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
        case UINT16, UINT32, UINT64 -> throw new IllegalStateException(type + " input is refused before it gets here");
      }
    }

    /** A finite number whose magnitude rounds to at most {@code max} in the type. */
    private double number(int i, JsonNode v, double max) {
      if (!v.isNumber()) {
        throw wrong(i, v);
      }
      double d = v.doubleValue();
      if (!(Math.abs(d) <= max)) {
        throw tooLarge(i, v);
      }
      return d;
    }

    private ProblemException tooLarge(int i, JsonNode v) {
      String largest = type == Datatype.FP16 ? "65504" : type == Datatype.FP32 ? Float.toString(Float.MAX_VALUE)
          : Double.toString(Double.MAX_VALUE);
      return InferenceProblems.invalidTensor(tensor, "element " + i + " (" + shown(v) + ") is out of range for "
          + type + " (largest magnitude " + largest + ")");
    }

    private long integer(int i, JsonNode v) {
      long value;
      if (v.isIntegralNumber()) {
        if (!v.canConvertToLong()) {
          throw outOfRange(i, v);
        }
        value = v.longValue();
      } else if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
          && Math.abs(v.doubleValue()) < 9.007199254740992E15) {
        // 3.0 is the integer 3; past 2^53 a double no longer says which integer was meant.
        value = (long) v.doubleValue();
      } else {
        throw wrong(i, v);
      }
      if (value < type.min() || value > type.max()) {
        throw outOfRange(i, v);
      }
      return value;
    }

    private ProblemException outOfRange(int i, JsonNode v) {
      return InferenceProblems.invalidTensor(tensor, "element " + i + " (" + shown(v) + ") is out of range for "
          + type + " [" + type.min() + ", " + type.max() + "]");
    }

    private ProblemException wrong(int i, JsonNode v) {
      return InferenceProblems.invalidTensor(tensor, "element " + i + " (" + shown(v) + ") is not a valid " + type
          + " value");
    }
  }
}
