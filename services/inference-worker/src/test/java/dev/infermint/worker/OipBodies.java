package dev.infermint.worker;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random inference bodies for the protocol's property tests: JSON shaped like OIP requests for the models of
 * {@link LocalRegistryResource} (right and wrong names, datatypes, shapes, data and parameters, mostly close to
 * valid so that the deep checks are reached), random framings of the binary tensor data extension (sizes and header
 * lengths right or off, BYTES prefixes, BOOL bytes), and plain junk. Each body is built from one random source, so
 * jqwik reproduces a failure from its seed; it does not shrink the structure.
 */
public final class OipBodies {

  /** One input or output of a model's signature: name, OIP datatype, shape ({@code -1} = dynamic). */
  public record Spec(String name, String datatype, long... shape) {
  }

  /** A model of {@link LocalRegistryResource}, as its signature says. */
  public record Model(String name, List<Spec> inputs, List<Spec> outputs) {
  }

  /**
   * A body to POST to {@code /v2/models/{model}/infer}.
   *
   * @param model the model in the path
   * @param bytes the body
   * @param headerLength the {@code Inference-Header-Content-Length} header, or null
   */
  public record Body(String model, byte[] bytes, String headerLength) {
    @Override
    public String toString() {
      return model + (headerLength == null ? "" : " [header " + headerLength + "] ")
          + new String(bytes, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", "?");
    }
  }

  /** The models bodies are made for. */
  public static final List<Model> MODELS = List.of(
      new Model("affine", List.of(new Spec("x", "FP32", -1, 3)), List.of(new Spec("y", "FP32", -1, 3))),
      new Model("types", List.of(new Spec("i64", "INT64", -1), new Spec("i32", "INT32", -1),
          new Spec("f64", "FP64", -1), new Spec("flag", "BOOL", -1), new Spec("text", "BYTES", -1)),
          List.of(new Spec("i64_out", "INT64", -1), new Spec("i32_out", "INT32", -1),
              new Spec("f64_out", "FP64", -1), new Spec("flag_out", "BOOL", -1), new Spec("text_out", "BYTES", -1))),
      new Model("narrow", List.of(new Spec("u8", "UINT8", -1), new Spec("i8", "INT8", -1),
          new Spec("i16", "INT16", -1), new Spec("f16", "FP16", -1)),
          List.of(new Spec("u8_out", "UINT8", -1), new Spec("i8_out", "INT8", -1),
              new Spec("i16_out", "INT16", -1), new Spec("f16_out", "FP16", -1))),
      new Model("scaled", List.of(new Spec("x", "FP32", -1, 3), new Spec("s", "FP32", 3), new Spec("t", "FP32")),
          List.of(new Spec("y", "FP32", -1, 3))),
      new Model("fixed", List.of(new Spec("x", "FP32", 2, 3)), List.of(new Spec("y", "FP32", 2, 3))),
      new Model("unsigned", List.of(new Spec("u32", "UINT32", -1)), List.of(new Spec("u32_out", "UINT32", -1))));

  private static final List<String> DATATYPES = List.of("BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8",
      "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES");
  private static final ObjectMapper JSON = new ObjectMapper();

  private OipBodies() {
  }

  /** @return random bodies: 6 in 10 JSON, 3 in 10 framed, 1 in 10 junk */
  public static Arbitrary<Body> bodies() {
    return Arbitraries.randomValue(OipBodies::body);
  }

  /** @return the model of that name */
  public static Model model(String name) {
    return MODELS.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  private static Body body(Random r) {
    Model m = MODELS.get(r.nextInt(MODELS.size()));
    int kind = r.nextInt(10);
    if (kind == 0) {
      return new Body(m.name(), junk(r), r.nextInt(4) == 0 ? String.valueOf(r.nextInt(64) - 8) : null);
    }
    List<Object[]> binary = new ArrayList<>();
    Map<String, Object> request = request(r, m, kind >= 7 ? binary : null);
    byte[] header = write(request);
    if (binary.isEmpty() && kind < 7) {
      return new Body(m.name(), header, null);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    for (Object[] part : binary) {
      out.writeBytes((byte[]) part[0]);
    }
    if (r.nextInt(8) == 0) {
      out.writeBytes(junk(r));
    }
    int length = header.length;
    if (r.nextInt(6) == 0) {
      length += r.nextInt(21) - 10;
    }
    String value = r.nextInt(20) == 0 ? pick(r, "", "0", "-1", "ten", "99999999999").toString()
        : String.valueOf(length);
    return new Body(m.name(), out.toByteArray(), value);
  }

  private static Map<String, Object> request(Random r, Model m, List<Object[]> binary) {
    Map<String, Object> req = new LinkedHashMap<>();
    if (r.nextBoolean()) {
      req.put("id", r.nextInt(5) == 0 ? pick(r, 7, Map.of("a", 1), List.of("x"), true) : "id-" + r.nextInt(1000));
    }
    int rows = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(3);
    List<Object> inputs = new ArrayList<>();
    for (Spec spec : m.inputs()) {
      if (r.nextInt(12) == 0) {
        continue;
      }
      inputs.add(tensor(r, spec, rows, binary));
      if (r.nextInt(30) == 0) {
        inputs.add(tensor(r, spec, rows, binary));
      }
    }
    if (r.nextInt(10) == 0) {
      inputs.add(tensor(r, new Spec(word(r), pick(r, DATATYPES.toArray()).toString(), -1), rows, binary));
    }
    Collections.shuffle(inputs, r);
    req.put("inputs", r.nextInt(40) == 0 ? pick(r, "x", Map.of(), List.of(), 3) : inputs);
    if (r.nextInt(3) == 0) {
      List<Object> outputs = new ArrayList<>();
      for (Spec out : m.outputs()) {
        if (r.nextBoolean()) {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put("name", r.nextInt(10) == 0 ? word(r) : out.name());
          if (r.nextInt(3) == 0) {
            o.put("parameters", Map.of("binary_data", pick(r, true, false, "yes", 1)));
          }
          outputs.add(o);
        }
      }
      req.put("outputs", outputs);
    }
    if (r.nextInt(3) == 0) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("binary_data_output", pick(r, true, false, "true", 0));
      p.put(word(r), pick(r, 1, "a", List.of(1), Map.of("b", false)));
      req.put("parameters", r.nextInt(20) == 0 ? "not-an-object" : p);
    }
    return req;
  }

  private static Object tensor(Random r, Spec spec, int rows, List<Object[]> binary) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("name", r.nextInt(15) == 0 ? pick(r, word(r), "", 5) : spec.name());
    String datatype = r.nextInt(8) == 0 ? pick(r, DATATYPES.toArray()).toString() : spec.datatype();
    if (r.nextInt(25) != 0) {
      t.put("datatype", r.nextInt(30) == 0 ? pick(r, "FLOAT7", "fp32", 32, "") : datatype);
    }
    long[] shape = spec.shape().clone();
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shape[i] < 0 ? rows : shape[i];
    }
    if (r.nextInt(10) == 0) {
      shape = new long[r.nextInt(4)];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = r.nextInt(8) - 2;
      }
    }
    t.put("shape", r.nextInt(30) == 0 ? pick(r, "3", List.of(1.5), List.of("a"), Map.of()) : shape);
    int elements = (int) Math.max(0, Math.min(64, Arrays.stream(shape).reduce(1, (a, b) -> a * b)));
    if (r.nextInt(10) == 0) {
      elements = Math.max(0, elements + r.nextInt(3) - 1);
    }
    List<Object> values = new ArrayList<>(elements);
    for (int i = 0; i < elements; i++) {
      values.add(value(r, datatype));
    }
    if (binary != null && r.nextInt(3) > 0) {
      byte[] bytes = binary(r, datatype, values);
      long size = r.nextInt(8) == 0 ? bytes.length + r.nextInt(9) - 4 : bytes.length;
      t.put("parameters", Map.of("binary_data_size", r.nextInt(40) == 0 ? pick(r, "8", -3, 1.5) : size));
      binary.add(new Object[] {bytes});
      if (r.nextInt(30) == 0) {
        t.put("data", values);
      }
      return t;
    }
    int form = r.nextInt(12);
    if (form == 0) {
      return t;
    }
    t.put("data", form == 1 ? junkValue(r, 3) : form <= 4 && shape.length > 1 ? nest(values, shape) : values);
    if (r.nextInt(15) == 0) {
      t.put("parameters", Map.of(pick(r, "binary_data_size", "content_type", word(r)).toString(), pick(r, 4, "x")));
    }
    return t;
  }

  /** Groups flat values by the shape's last dimensions (as a nested list), when they divide evenly. */
  private static Object nest(List<Object> values, long[] shape) {
    long last = shape[shape.length - 1];
    if (last <= 0 || values.size() % last != 0) {
      return values;
    }
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < values.size(); i += (int) last) {
      rows.add(values.subList(i, i + (int) last));
    }
    return rows;
  }

  private static Object value(Random r, String datatype) {
    if (r.nextInt(40) == 0) {
      return junkValue(r, 1);
    }
    return switch (datatype) {
      case "BOOL" -> r.nextBoolean();
      case "BYTES" -> r.nextInt(10) == 0 ? "" : word(r) + (r.nextBoolean() ? "é✓" : "");
      case "FP16", "FP32", "FP64" -> r.nextInt(20) == 0 ? pick(r, 1e39, -7e4, 1e308, 0.5e-45)
          : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(8));
      case "UINT8" -> r.nextInt(300) - 20;
      case "INT8" -> r.nextInt(300) - 150;
      case "INT16", "UINT16" -> r.nextInt(70_000) - 35_000;
      case "INT32", "UINT32" -> r.nextInt(20) == 0 ? 3_000_000_000L : r.nextInt();
      default -> r.nextInt(20) == 0 ? pick(r, new java.math.BigInteger("18446744073709551615"), 2.5, 1e19)
          : r.nextLong();
    };
  }

  private static Object junkValue(Random r, int depth) {
    return switch (r.nextInt(depth > 0 ? 7 : 6)) {
      case 0 -> null;
      case 1 -> "s" + r.nextInt(10);
      case 2 -> r.nextBoolean();
      case 3 -> r.nextDouble() * 1e6;
      case 4 -> Map.of("k", r.nextInt());
      case 5 -> r.nextLong();
      default -> Arrays.asList(junkValue(r, depth - 1), junkValue(r, depth - 1));
    };
  }

  /** The values in the binary extension's form when they fit the type; random bytes otherwise. */
  private static byte[] binary(Random r, String datatype, List<Object> values) {
    int size = switch (datatype) {
      case "BOOL", "UINT8", "INT8" -> 1;
      case "INT16", "UINT16", "FP16" -> 2;
      case "INT32", "UINT32", "FP32" -> 4;
      case "BYTES" -> -1;
      default -> 8;
    };
    if (r.nextInt(10) == 0) {
      return junk(r);
    }
    if (size < 0) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Object v : values) {
        byte[] utf8 = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
        int length = r.nextInt(25) == 0 ? utf8.length + r.nextInt(7) - 3 : utf8.length;
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array());
        out.writeBytes(r.nextInt(25) == 0 ? new byte[] {(byte) 0xC3} : utf8);
      }
      return out.toByteArray();
    }
    ByteBuffer b = ByteBuffer.allocate(values.size() * size).order(ByteOrder.LITTLE_ENDIAN);
    for (Object v : values) {
      double d = v instanceof Number n ? n.doubleValue() : v instanceof Boolean f && f ? 1 : 0;
      switch (size) {
        case 1 -> b.put(r.nextInt(30) == 0 ? (byte) 7 : (byte) d);
        case 2 -> b.putShort((short) d);
        case 4 -> b.putInt(datatype.startsWith("FP") ? Float.floatToIntBits((float) d) : (int) d);
        default -> b.putLong(datatype.startsWith("FP") ? Double.doubleToLongBits(d) : (long) d);
      }
    }
    return b.array();
  }

  private static byte[] junk(Random r) {
    byte[] b = new byte[r.nextInt(48)];
    r.nextBytes(b);
    if (r.nextBoolean() && b.length > 2) {
      b[0] = '{';
    }
    return b;
  }

  private static byte[] write(Object request) {
    try {
      return JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String word(Random r) {
    String letters = "abcxyz_019";
    StringBuilder s = new StringBuilder();
    for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
      s.append(letters.charAt(r.nextInt(letters.length())));
    }
    return s.toString();
  }

  private static Object pick(Random r, Object... options) {
    return options[r.nextInt(options.length)];
  }
}
