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
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }
}
