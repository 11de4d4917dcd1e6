package dev.infermint.worker.service;

import java.util.EnumSet;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;

import dev.infermint.worker.config.WorkerConfig;

/**
 * Runs models on an NVIDIA GPU through ONNX Runtime's CUDA execution provider, on CUDA device
 * {@code infermint.worker.gpu-device-id} with the arena limited to {@code infermint.worker.gpu-memory-limit}. Needs
 * the GPU build of ONNX Runtime ({@code com.microsoft.onnxruntime:onnxruntime_gpu}, the worker's {@code gpu} Maven
 * profile) and CUDA 12 with cuDNN 9 on the machine; without them a gpu worker refuses to start, and a model deployed
 * on gpu refuses to load, rather than silently running on the CPU. Nodes the CUDA provider has no kernel for run on
 * ONNX Runtime's CPU provider inside the same session, as ONNX Runtime always does.
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
      throw new IllegalStateException("device gpu needs ONNX Runtime's CUDA execution provider, and this ONNX "
          + "Runtime build has none (it has " + providers + "). Build the worker with the 'gpu' Maven profile "
          + "(com.microsoft.onnxruntime:onnxruntime_gpu) for a host with CUDA 12 and cuDNN 9, or use device cpu");
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.addCUDA(config.gpuDeviceId());
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      throw new IllegalStateException("device gpu: CUDA device " + config.gpuDeviceId()
          + " cannot be used: " + e.getMessage() + ". Check the NVIDIA driver, CUDA 12 and cuDNN 9 libraries "
          + "(LD_LIBRARY_PATH), or set INFERMINT_WORKER_DEVICE=cpu.", e);
    }
  }

  @Override
  public OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new CpuInferenceDevice(config).sessionOptions();
    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(config.gpuDeviceId())) {
      if (config.gpuMemoryLimit().isPresent()) {
        cuda.add("gpu_mem_limit", Long.toString(config.gpuMemoryLimit().get().asLongValue()));
        // Grow the arena by what is asked, not in doubling steps, so the limit is reached only when really needed.
        cuda.add("arena_extend_strategy", "kSameAsRequested");
      }
      options.addCUDA(cuda);
      return options;
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      options.close();
      throw e;
    }
  }
}
