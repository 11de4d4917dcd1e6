package dev.infermint.registry.service;

import static dev.infermint.registry.service.ProtoWire.bytes;
import static dev.infermint.registry.service.ProtoWire.concat;
import static dev.infermint.registry.service.ProtoWire.string;
import static dev.infermint.registry.service.ProtoWire.varint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.infermint.registry.service.OnnxModelHeader.Operator;
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
    assertEquals(11, new OnnxModelHeader(7, Map.of("ai.onnx", 11L, "com.microsoft", 1L), true, Set.of())
        .defaultOpset());
    assertNull(new OnnxModelHeader(7, Map.of("com.microsoft", 1L), true, Set.of()).defaultOpset());
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

  @Test
  void listsTheOperatorsOfEveryNodeWithTheirDomains() throws Exception {
    OnnxModelHeader affine = OnnxModelHeader.read(write(OnnxModelBuilder.affine(new float[] {1}, new float[] {0})));
    assertEquals(List.of(new Operator("ai.onnx", "Mul"), new Operator("ai.onnx", "Add")),
        List.copyOf(affine.operators()));

    byte[] custom = new OnnxModelBuilder().irVersion(10).opset("com.example.custom", 1)
        .input("x", OnnxModelBuilder.FLOAT, 2)
        .node("Relu", new String[] {"x"}, new String[] {"r"})
        .node("com.example.custom", "MyOp", new String[] {"r"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, 2).build();
    OnnxModelHeader header = OnnxModelHeader.read(write(custom));
    assertEquals(10, header.irVersion());
    assertEquals(Map.of("", 13L, "com.example.custom", 1L), header.opsets());
    assertEquals(List.of(new Operator("ai.onnx", "Relu"), new Operator("com.example.custom", "MyOp")),
        List.copyOf(header.operators()));
  }

  @Test
  void findsOperatorsInsideSubgraphsAndLeavesOutModelLocalFunctions() throws Exception {
    // If(cond) { then: com.example.custom:Deep(x) } else { Identity(x) }, and a model-local function
    // com.example.lib:Local whose body is one Relu, called from the main graph.
    byte[] deep = concat(string(1, "x"), string(2, "t"), string(4, "Deep"), string(7, "com.example.custom"));
    byte[] thenBranch = concat(bytes(1, deep), string(2, "then"));
    byte[] identity = concat(string(1, "x"), string(2, "e"), string(4, "Identity"));
    byte[] elseBranch = concat(bytes(1, identity), string(2, "else"));
    byte[] ifNode = concat(string(1, "cond"), string(2, "y"), string(4, "If"),
        bytes(5, concat(string(1, "then_branch"), bytes(6, thenBranch), varint(20, 5))),
        bytes(5, concat(string(1, "else_branch"), bytes(6, elseBranch), varint(20, 5))));
    byte[] callLocal = concat(string(1, "y"), string(2, "z"), string(4, "Local"), string(7, "com.example.lib"));
    byte[] graph = concat(bytes(1, ifNode), bytes(1, callLocal), string(2, "g"));
    byte[] relu = concat(string(1, "a"), string(2, "b"), string(4, "Relu"));
    byte[] function = concat(string(1, "Local"), string(4, "a"), string(5, "b"), bytes(7, relu),
        bytes(9, concat(string(1, ""), varint(2, 13))), string(10, "com.example.lib"));
    byte[] model = concat(varint(1, 8), bytes(7, graph), bytes(8, concat(string(1, ""), varint(2, 13))),
        bytes(8, concat(string(1, "com.example.lib"), varint(2, 1))), bytes(25, function));

    OnnxModelHeader header = OnnxModelHeader.read(write(model));
    assertEquals(Set.of(new Operator("ai.onnx", "If"), new Operator("com.example.custom", "Deep"),
        new Operator("ai.onnx", "Identity"), new Operator("ai.onnx", "Relu")), header.operators(),
        "subgraph nodes and function bodies are listed; the call of the model's own function is not");
  }

    private Path write(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(dir, "m", ".onnx");
    Files.write(file, bytes);
    return file;
  }
}
