package dev.infermint.worker.service;

import java.util.EnumSet;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

import dev.infermint.worker.config.WorkerConfig;

/**
 * Runs models on an NVIDIA GPU through ONNX Runtime's CUDA execution provider. Needs the GPU build of ONNX Runtime
 * ({@code com.microsoft.onnxruntime:onnxruntime_gpu}, the worker's {@code gpu} Maven profile) and CUDA 12 with cuDNN 9
 * on the machine; without them the worker refuses to start rather than silently running on the CPU.
 */
public class GpuInferenceDevice implements InferenceDevice {

  private final WorkerConfig config;

  /** @param config the worker settings (device index, thread counts) */
  public GpuInferenceDevice(WorkerConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "gpu";
  }

  @Override
  public void verify() {
    EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    if (!providers.contains(OrtProvider.CUDA)) {
      throw new IllegalStateException("infermint.worker.device=gpu, but this ONNX Runtime build has no CUDA "
          + "execution provider (it has " + providers + "). Build the worker with the 'gpu' Maven profile "
          + "(com.microsoft.onnxruntime:onnxruntime_gpu) or set INFERMINT_WORKER_DEVICE=cpu.");
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(config.gpuDeviceId());
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      throw new IllegalStateException("infermint.worker.device=gpu, but CUDA device " + config.gpuDeviceId()
          + " cannot be used: " + e.getMessage() + ". Check the NVIDIA driver, CUDA 12 and cuDNN 9 libraries "
          + "(LD_LIBRARY_PATH), or set INFERMINT_WORKER_DEVICE=cpu.", e);
    }
  }

  @Override
  public OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new CpuInferenceDevice(config).sessionOptions();
    try {
      options.addCUDA(config.gpuDeviceId());
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }
}
