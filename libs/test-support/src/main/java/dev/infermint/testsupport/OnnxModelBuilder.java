package dev.infermint.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small, valid ONNX models in code (protobuf wire format by hand, a few dozen lines), so that tests never
 * download a model. Element types follow ONNX's {@code TensorProto.DataType}.
 *
 * <pre>{@code
 * byte[] onnx = OnnxModelBuilder.affine(new float[] {2, 3, 4}, new float[] {1, 1, 1}); // y = x * w + b, x: [N, 3]
 * }</pre>
 */
public final class OnnxModelBuilder {

  /** ONNX element type FLOAT. */
  public static final int FLOAT = 1;
  /** ONNX element type INT32. */
  public static final int INT32 = 6;
  /** ONNX element type INT64. */
  public static final int INT64 = 7;
  /** ONNX element type DOUBLE. */
  public static final int DOUBLE = 11;
  /** ONNX element type BOOL. */
  public static final int BOOL = 9;

  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private int opset = 13;
  private long irVersion = 8;
  private final Map<String, Long> extraOpsets = new LinkedHashMap<>();

  /**
   * The model {@code y = x * w + b} with input {@code x} FLOAT {@code [N, len(w)]} and output {@code y} of the same
   * shape.
   *
   * @param w the per-column factors
   * @param b the per-column offsets
   * @return the ONNX file's bytes
   */
  public static byte[] affine(float[] w, float[] b) {
    return new OnnxModelBuilder()
        .input("x", FLOAT, "N", w.length)
        .initializer("w", new long[] {w.length}, w)
        .initializer("b", new long[] {b.length}, b)
        .node("Mul", new String[] {"x", "w"}, new String[] {"xw"})
        .node("Add", new String[] {"xw", "b"}, new String[] {"y"})
        .output("y", FLOAT, "N", w.length)
        .build();
  }

  /** Sets the default-domain opset (13 unless changed). */
  public OnnxModelBuilder opset(int version) {
    this.opset = version;
    return this;
  }

  /**
   * Imports a further operator set, e.g. {@code ai.onnx.ml} or a custom domain.
   *
   * @param domain the operator-set domain
   * @param version its version
   * @return this builder
   */
  public OnnxModelBuilder opset(String domain, long version) {
    extraOpsets.put(domain, version);
    return this;
  }

  /** Sets the model's {@code ir_version} (8 unless changed: understood by ONNX Runtime 1.14+). */
  public OnnxModelBuilder irVersion(long version) {
    this.irVersion = version;
    return this;
  }

  /**
   * Adds a graph input.
   *
   * @param name the tensor name
   * @param elemType its ONNX element type
   * @param dims each a {@link Number} (fixed size) or a {@link String} (symbolic dimension)
   * @return this builder
   */
  public OnnxModelBuilder input(String name, int elemType, Object... dims) {
    inputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  /** Adds a graph output; see {@link #input}. */
  public OnnxModelBuilder output(String name, int elemType, Object... dims) {
    outputs.add(valueInfo(name, elemType, dims));
    return this;
  }

  /** Adds a FLOAT constant. */
  public OnnxModelBuilder initializer(String name, long[] dims, float[] values) {
    Proto t = new Proto();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, FLOAT);
    t.string(8, name);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    t.bytes(9, raw.array());
    initializers.add(t.toBytes());
    return this;
  }

  /** Adds a node of the default domain without attributes. */
  public OnnxModelBuilder node(String opType, String[] in, String[] out) {
    return node("", opType, in, out);
  }

  /** Adds a node of the given operator-set domain ({@code ""} for the default one) without attributes. */
  public OnnxModelBuilder node(String domain, String opType, String[] in, String[] out) {
    Proto n = new Proto();
    for (String i : in) {
      n.string(1, i);
    }
    for (String o : out) {
      n.string(2, o);
    }
    n.string(3, opType + "_" + nodes.size());
    n.string(4, opType);
    if (!domain.isEmpty()) {
      n.string(7, domain);
    }
    nodes.add(n.toBytes());
    return this;
  }

  /** @return the serialised ModelProto */
  public byte[] build() {
    Proto graph = new Proto();
    nodes.forEach(n -> graph.bytes(1, n));
    graph.string(2, "infermint_test_graph");
    initializers.forEach(i -> graph.bytes(5, i));
    inputs.forEach(i -> graph.bytes(11, i));
    outputs.forEach(o -> graph.bytes(12, o));
    Proto opsetId = new Proto();
    opsetId.string(1, "");
    opsetId.varint(2, opset);
    Proto model = new Proto();
    model.varint(1, irVersion);
    model.string(2, "infermint-test");
    model.bytes(7, graph.toBytes());
    model.bytes(8, opsetId.toBytes());
    extraOpsets.forEach((domain, version) -> {
      Proto extra = new Proto();
      extra.string(1, domain);
      extra.varint(2, version);
      model.bytes(8, extra.toBytes());
    });
    return model.toBytes();
  }

  private static byte[] valueInfo(String name, int elemType, Object... dims) {
    Proto shape = new Proto();
    for (Object d : dims) {
      Proto dim = new Proto();
      if (d instanceof Number n) {
        dim.varint(1, n.longValue());
      } else {
        dim.string(2, String.valueOf(d));
      }
      shape.bytes(1, dim.toBytes());
    }
    Proto tensor = new Proto();
    tensor.varint(1, elemType);
    tensor.bytes(2, shape.toBytes());
    Proto type = new Proto();
    type.bytes(1, tensor.toBytes());
    Proto vi = new Proto();
    vi.string(1, name);
    vi.bytes(2, type.toBytes());
    return vi.toBytes();
  }

  /** Protobuf wire-format writer: varints and length-delimited fields, which is all ONNX graphs need here. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
    }

    void string(int field, String value) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(int field, byte[] value) {
      raw(((long) field << 3) | 2);
      raw(value.length);
      out.writeBytes(value);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }
}
