package dev.infermint.worker.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.infermint.worker.config.WorkerConfig;

/** Chooses the {@link InferenceDevice} named by {@code infermint.worker.device}. */
@ApplicationScoped
public class InferenceDevices {

  /**
   * @param config the worker settings
   * @return the configured device
   */
  @Produces
  @ApplicationScoped
  public InferenceDevice device(WorkerConfig config) {
    return switch (config.device()) {
      case CPU -> new CpuInferenceDevice(config);
      case GPU -> new GpuInferenceDevice(config);
    };
  }
}
