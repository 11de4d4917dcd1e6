package dev.infermint.worker.service;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Where ONNX Runtime runs the models: the extension point chosen by {@code infermint.worker.device}
 * ({@link CpuInferenceDevice}, {@link GpuInferenceDevice}).
 *
 * <p>Lifecycle: {@link #verify()} runs once at start-up and fails the start when the device cannot be used; then
 * {@link #sessionOptions()} is called once per model loaded, and the model owns (and closes) the options it got.
 */
public interface InferenceDevice {

  /** @return the device's name as configured: {@code cpu} or {@code gpu} */
  String name();

  /**
   * Checks that this device can run models here.
   *
   * @throws IllegalStateException with what is missing, to stop the worker from starting
   */
  void verify();

  /**
   * New ONNX Runtime session options that place a model on this device.
   *
   * @return options the caller closes after the session is closed
   * @throws OrtException when ONNX Runtime rejects the options
   */
  OrtSession.SessionOptions sessionOptions() throws OrtException;
}
