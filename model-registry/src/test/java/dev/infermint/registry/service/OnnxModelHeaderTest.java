package dev.infermint.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.infermint.testsupport.OnnxModelBuilder;

/** The opset and sanity check read from the protobuf header, without ONNX Runtime. */
class OnnxModelHeaderTest {

  @TempDir
  Path dir;

  @Test
  void readsTheDefaultDomainOpsetAndIrVersion() throws Exception {
    OnnxModelHeader header = OnnxModelHeader.read(write(OnnxModelBuilder.affine(new float[] {1}, new float[] {0})));
    assertEquals(13, header.defaultOpset());
    assertEquals(8, header.irVersion());
    assertTrue(header.hasGraph());
    assertEquals(Map.of("", 13L), header.opsets());

    OnnxModelHeader seventeen = OnnxModelHeader.read(write(new OnnxModelBuilder().opset(17)
        .input("x", OnnxModelBuilder.FLOAT, 1).node("Identity", new String[] {"x"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, 1).build()));
    assertEquals(17, seventeen.defaultOpset());
  }

  @Test
  void theAiOnnxDomainNameCountsAsDefaultAndMissingOpsetIsNull() {
    assertEquals(11, new OnnxModelHeader(7, Map.of("ai.onnx", 11L, "com.microsoft", 1L), true).defaultOpset());
    assertNull(new OnnxModelHeader(7, Map.of("com.microsoft", 1L), true).defaultOpset());
  }

  @Test
  void refusesWhatIsNotAModelProto() throws IOException {
    byte[] model = OnnxModelBuilder.affine(new float[] {1, 2}, new float[] {0, 0});
    assertThrows(InvalidModelException.class, () -> OnnxModelHeader.read(write(new byte[0])));
    assertThrows(InvalidModelException.class,
        () -> OnnxModelHeader.read(write("plain text, not protobuf".getBytes(StandardCharsets.UTF_8))));
    assertThrows(InvalidModelException.class,
        () -> OnnxModelHeader.read(write(Arrays.copyOf(model, model.length - 3))));
    // ir_version only: a valid protobuf message, but no graph.
    assertThrows(InvalidModelException.class, () -> OnnxModelHeader.read(write(new byte[] {0x08, 0x08})));
  }

  @Test
  void refusesTensorsKeptInExternalDataFiles() throws IOException {
    Path secret = Files.write(dir.resolve("secret.bin"), new byte[] {1, 2, 3, 4});
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> OnnxModelHeader.read(write(ExternalDataModels.referencing(secret.toString()))));
    assertTrue(e.getMessage().contains("external data"), e.getMessage());
    assertThrows(InvalidModelException.class,
        () -> OnnxModelHeader.read(write(ExternalDataModels.referencing("../../etc/hostname"))));
  }

  private Path write(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(dir, "m", ".onnx");
    Files.write(file, bytes);
    return file;
  }
}
