package dev.infermint.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.registry.config.OnnxRuntimeConfig;
import dev.infermint.registry.service.OnnxModelHeader.Operator;

/** What the workers' ONNX Runtime loads, checked from a file's header, with the defaults of ONNX Runtime 1.21.1. */
class OnnxCompatibilityTest {

  private OnnxCompatibility compatibility;

  @BeforeEach
  void defaults() {
    compatibility = new OnnxCompatibility();
    compatibility.config = new OnnxRuntimeConfig() {
      @Override
      public String workersVersion() {
        return "1.21.1";
      }

      @Override
      public long maxIrVersion() {
        return 10;
      }

      @Override
      public List<String> opsets() {
        return List.of("ai.onnx:22", "ai.onnx.ml:5", "com.microsoft:1");
      }
    };
    compatibility.init();
  }

  @Test
  void whatOnnxRuntime1211LoadsPasses() {
    compatibility.check(header(10, Map.of("", 22L, "ai.onnx.ml", 5L, "com.microsoft", 1L),
        new Operator("ai.onnx", "MatMul"), new Operator("ai.onnx.ml", "TreeEnsembleClassifier"),
        new Operator("com.microsoft", "Gelu")));
    // A custom domain that is only imported, with no node using it, is harmless: ONNX Runtime loads such files.
    compatibility.check(header(8, Map.of("", 13L, "com.example.custom", 1L), new Operator("ai.onnx", "Add")));
  }

  @Test
  void aNewerIrVersionIsNamed() {
    Problem p = refused(header(11, Map.of("", 13L)));
    assertEquals("unsupported_opset", p.code());
    assertEquals("file: IR version 11 is newer than the workers' ONNX Runtime 1.21.1 supports (up to 10)", p.detail());
    assertEquals("ir_version", p.any().get("opset"));
  }

  @Test
  void aNewerOpsetIsNamedWithItsDomain() {
    Problem p = refused(header(8, Map.of("", 99L)));
    assertEquals(422, p.status());
    assertEquals("unsupported_opset", p.code());
    assertEquals("file: opset ai.onnx 99 is newer than the workers' ONNX Runtime 1.21.1 supports (up to 22)",
        p.detail());
    assertEquals(Map.of("field", "file", "opset", "ai.onnx", "version", 99L, "supported", 22L), p.any());
    assertEquals("file: opset ai.onnx.ml 6 is newer than the workers' ONNX Runtime 1.21.1 supports (up to 5)",
        refused(header(8, Map.of("", 13L, "ai.onnx.ml", 6L))).detail());
    assertEquals("file: opset ai.onnx 23 is newer than the workers' ONNX Runtime 1.21.1 supports (up to 22)",
        refused(header(8, Map.of("ai.onnx", 23L))).detail());
  }

  @Test
  void anOperatorOfADomainTheWorkersLackIsNamed() {
    Problem p = refused(header(8, Map.of("", 13L, "com.example.custom", 1L), new Operator("ai.onnx", "Relu"),
        new Operator("com.example.custom", "MyOp")));
    assertEquals("unsupported_operator", p.code());
    assertEquals("file: operator MyOp of domain com.example.custom is not available in the workers' ONNX Runtime "
        + "1.21.1, which runs the domains ai.onnx, ai.onnx.ml, com.microsoft", p.detail());
    assertEquals("MyOp", p.any().get("operator"));
    assertEquals("com.example.custom", p.any().get("domain"));

    Problem several = refused(header(8, Map.of("", 13L), new Operator("org.pytorch.aten", "ATen"),
        new Operator("com.example.custom", "A"), new Operator("com.example.custom", "B")));
    assertTrue(several.detail().startsWith("file: operators org.pytorch.aten:ATen, com.example.custom:A, "
        + "com.example.custom:B are not available"), several.detail());
  }

  @Test
  void theConfiguredListIsParsedStrictly() {
    assertEquals(Map.of("ai.onnx", 22L, "com.microsoft.nchwc", 1L),
        OnnxCompatibility.parse(List.of(" ai.onnx : 22", "com.microsoft.nchwc:1")));
    for (String bad : List.of("ai.onnx", "ai.onnx:", "ai.onnx:x", "ai.onnx:0", ":22")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OnnxCompatibility.parse(List.of(bad)), bad);
      assertTrue(e.getMessage().startsWith("infermint.registry.onnx.opsets: '" + bad + "'"), e.getMessage());
    }
  }

  private Problem refused(OnnxModelHeader header) {
    return assertThrows(ProblemException.class, () -> compatibility.check(header)).problem();
  }

  private static OnnxModelHeader header(long ir, Map<String, Long> opsets, Operator... operators) {
    return new OnnxModelHeader(ir, new LinkedHashMap<>(opsets), true, new LinkedHashSet<>(List.of(operators)));
  }
}
