package dev.infermint.registry.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an ONNX model ({@code y = x + w}, x FLOAT [1]) whose initializer {@code w} lives in an external data file,
 * as {@code onnx.save(..., save_as_external_data=True)} does. {@code OnnxModelBuilder} cannot express that.
 */
public final class ExternalDataModels {

  private ExternalDataModels() {
  }

  /**
   * @param location the external file the initializer names (absolute, or relative to the model)
   * @return the ONNX file's bytes
   */
  public static byte[] referencing(String location) {
    byte[] initializer = concat(varint(1, 1), varint(2, 1), string(8, "w"),
        bytes(13, concat(string(1, "location"), string(2, location))),
        bytes(13, concat(string(1, "length"), string(2, "4"))),
        varint(14, 1));
    byte[] node = concat(string(1, "x"), string(1, "w"), string(2, "y"), string(3, "add0"), string(4, "Add"));
    byte[] graph = concat(bytes(1, node), string(2, "g"), bytes(5, initializer), bytes(11, valueInfo("x")),
        bytes(12, valueInfo("y")));
    return concat(varint(1, 8), string(2, "test"), bytes(7, graph), bytes(8, concat(string(1, ""), varint(2, 13))));
  }

  private static byte[] valueInfo(String name) {
    byte[] shape = bytes(1, varint(1, 1));
    byte[] tensorType = concat(varint(1, 1), bytes(2, shape));
    return concat(string(1, name), bytes(2, bytes(1, tensorType)));
  }

  private static byte[] varint(int field, long value) {
    return concat(raw((long) field << 3), raw(value));
  }

  private static byte[] string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(int field, byte[] value) {
    return concat(raw(((long) field << 3) | 2), raw(value.length), value);
  }

  private static byte[] raw(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
