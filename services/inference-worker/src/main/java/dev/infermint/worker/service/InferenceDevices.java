package dev.infermint.worker.service;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import dev.infermint.worker.config.WorkerConfig;

/**
 * The {@link InferenceDevice}s: the worker's own, named by {@code infermint.worker.device}, and the one a model's
 * deployment names ({@link #forModel}).
 */
@ApplicationScoped
public class InferenceDevices {

  @Inject
  WorkerConfig config;

  private final Map<WorkerConfig.DeviceKind, InferenceDevice> devices = new EnumMap<>(WorkerConfig.DeviceKind.class);

  /**
   * @return the worker's configured device
   */
  @Produces
  @ApplicationScoped
  public InferenceDevice device() {
    return of(config.device());
  }

  /**
   * @param kind a kind of device
   * @return the device of that kind (one instance per kind)
   */
  public synchronized InferenceDevice of(WorkerConfig.DeviceKind kind) {
    return devices.computeIfAbsent(kind, k -> switch (k) {
      case CPU -> new CpuInferenceDevice(config);
      case GPU -> new GpuInferenceDevice(config);
    });
  }

  /**
   * The device a model runs on: its deployment's, else the worker's.
   *
   * @param model the resolved model
   * @return the device, or empty when the deployment names a device the worker does not know
   */
  public Optional<InferenceDevice> forModel(ResolvedModel model) {
    Optional<String> named = model.deployment().deviceName();
    if (named.isEmpty()) {
      return Optional.of(of(config.device()));
    }
    for (WorkerConfig.DeviceKind kind : WorkerConfig.DeviceKind.values()) {
      if (kind.name().toLowerCase(Locale.ROOT).equals(named.get())) {
        return Optional.of(of(kind));
      }
    }
    return Optional.empty();
  }

  /** @return the worker's configured kind of device */
  public WorkerConfig.DeviceKind configured() {
    return config.device();
  }
}
