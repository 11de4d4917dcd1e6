package dev.infermint.registry.service;

import static dev.infermint.registry.service.ProtoWire.bytes;
import static dev.infermint.registry.service.ProtoWire.concat;
import static dev.infermint.registry.service.ProtoWire.string;
import static dev.infermint.registry.service.ProtoWire.varint;

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
}
