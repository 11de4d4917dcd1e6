package dev.infermint.worker.service;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Where ONNX Runtime runs the models: the extension point chosen by {@code infermint.worker.device}, or per model by
 * its deployment's {@code device} ({@link CpuInferenceDevice}, {@link GpuInferenceDevice}; {@link InferenceDevices}
 * picks).
 *
 * <p>Lifecycle: {@link #verify()} runs once at start-up for the worker's device and fails the start when it cannot
 * be used, and again before a model deployed on another device loads (failing that load, never falling back to
 * another device); then {@link #sessionOptions()} is called once per model loaded, and the model owns (and closes)
 * the options it got. The options place the session on the device: the execution provider is appended there, with
 * its settings, and never by DJL (DJL's ONNX Runtime engine appends a CUDA provider of its own, without a memory
 * limit, for a {@code Device.gpu()} model; ONNX Runtime refuses a provider registered twice), so DJL's model is
 * always created with {@link #djlDevice()}: where DJL keeps its arrays, host memory for ONNX Runtime, which copies
 * the inputs to the execution provider.
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

  /** @return the DJL device a model's {@code Model.newInstance} gets (see the class comment) */
  default ai.djl.Device djlDevice() {
    return ai.djl.Device.cpu();
  }
}
