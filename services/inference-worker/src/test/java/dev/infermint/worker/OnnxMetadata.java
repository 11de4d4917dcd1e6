package dev.infermint.worker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.infermint.testsupport.OnnxModelBuilder;

/**
 * Adds ONNX {@code metadata_props} to a model's bytes, as {@code onnx.helper.set_model_props} does, for models built
 * by {@link OnnxModelBuilder} (which writes none) or read from a jar. Protobuf lets a message's fields come in any
 * order and repeated fields be appended, so each entry is written after the ModelProto's bytes as field 14, a
 * {@code StringStringEntryProto} of {@code key} (1) and {@code value} (2).
 */
public final class OnnxMetadata {

  private static final int METADATA_PROPS = 14;

  private OnnxMetadata() {
  }

  /**
   * @param model a serialised ModelProto
   * @param props the metadata to add
   * @return the model with the metadata
   */
  public static byte[] with(byte[] model, Map<String, String> props) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(model);
    props.forEach((key, value) -> {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      field(entry, 1, key.getBytes(StandardCharsets.UTF_8));
      field(entry, 2, value.getBytes(StandardCharsets.UTF_8));
      field(out, METADATA_PROPS, entry.toByteArray());
    });
    return out.toByteArray();
  }

  /** Writes a length-delimited field (wire type 2). */
  private static void field(ByteArrayOutputStream out, int number, byte[] value) {
    varint(out, ((long) number << 3) | 2);
    varint(out, value.length);
    out.writeBytes(value);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
