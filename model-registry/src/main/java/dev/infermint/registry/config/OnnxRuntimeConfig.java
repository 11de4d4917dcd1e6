package dev.infermint.registry.config;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What the inference workers' ONNX Runtime can load, under {@code infermint.registry.onnx}. An upload beyond it is
 * refused before ONNX Runtime sees the file. The defaults are those of ONNX Runtime 1.21.1 (the version DJL 0.38.0's
 * onnxruntime-engine runs in the workers, {@code onnxruntime.version} in the root pom), as its own loader states
 * them: IR version 10, {@code ai.onnx} up to opset 22, {@code ai.onnx.ml} up to 5, {@code com.microsoft} 1. Change
 * them together with the workers' ONNX Runtime.
 */
@ConfigMapping(prefix = "infermint.registry.onnx")
public interface OnnxRuntimeConfig {

  /** The workers' ONNX Runtime version, named in the messages of refused uploads. */
  @WithDefault("1.21.1")
  String workersVersion();

  /** Highest {@code ir_version} the workers load. */
  @WithDefault("10")
  long maxIrVersion();

  /**
   * Operator-set domains the workers run, each {@code domain:highest-opset}, comma-separated. A node of a domain not
   * listed (and not a function the model defines itself) is refused, as is an import of a listed domain above its
   * version. ONNX Runtime 1.21.1 also knows {@code com.microsoft.nchwc}, {@code com.microsoft.experimental},
   * {@code ai.onnx.training}, {@code ai.onnx.preview.training} and {@code org.pytorch.aten} (opset 1 each), left out:
   * the first holds what ONNX Runtime's own CPU optimiser inserts, the others are experimental or need a training
   * build.
   */
  @WithDefault("ai.onnx:22,ai.onnx.ml:5,com.microsoft:1")
  List<String> opsets();
}
