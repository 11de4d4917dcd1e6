package dev.infermint.registry.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Protobuf wire-format fields by hand, for ONNX files {@code OnnxModelBuilder} cannot express. */
final class ProtoWire {

  private ProtoWire() {
  }

  static byte[] varint(int field, long value) {
    return concat(raw((long) field << 3), raw(value));
  }

  static byte[] string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bytes(int field, byte[] value) {
    return concat(raw(((long) field << 3) | 2), raw(value.length), value);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
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
}
