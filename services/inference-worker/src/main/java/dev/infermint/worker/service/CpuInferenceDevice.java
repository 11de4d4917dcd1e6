package dev.infermint.worker.service;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.infermint.worker.config.WorkerConfig;

/** Runs models on ONNX Runtime's default CPU execution provider. */
public class CpuInferenceDevice implements InferenceDevice {

  private final WorkerConfig config;

  /** @param config the worker settings (thread counts) */
  public CpuInferenceDevice(WorkerConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void verify() {
    // The CPU provider is part of every ONNX Runtime build.
  }

  @Override
  public OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (config.intraOpThreads().isPresent()) {
        options.setIntraOpNumThreads(config.intraOpThreads().get());
      }
      // Whether ONNX Runtime's pool threads busy-wait for work between operators (infermint.worker.intra-op-spinning).
      options.addConfigEntry("session.intra_op.allow_spinning", config.intraOpSpinning() ? "1" : "0");
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }
}
