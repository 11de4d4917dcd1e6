package dev.infermint.worker.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the inference worker ({@code infermint.worker.*}). */
@ConfigMapping(prefix = "infermint.worker")
public interface WorkerConfig {

  /** Base URL of the model registry, which resolves model names and serves the model and tokenizer blobs. */
  @WithDefault("http://localhost:8083")
  String registryUrl();

  /** Folder of the worker's disk cache: blobs under {@code blobs/}, DJL's native libraries under {@code djl/}. */
  @WithDefault(".infermint/data/worker")
  String cacheDir();

  /** Where inference runs: {@code cpu}, or {@code gpu} (ONNX Runtime's CUDA execution provider). */
  @WithDefault("cpu")
  DeviceKind device();

  /** The CUDA device index used when {@link #device()} is {@code gpu}. */
  @WithDefault("0")
  int gpuDeviceId();

  /** Threads ONNX Runtime uses inside one operator; unset lets ONNX Runtime use every core. */
  Optional<Integer> intraOpThreads();

  /** How long a model name resolved by the registry is reused before asking the registry again. */
  @WithDefault("5s")
  Duration resolveCacheTtl();

  /** How many models are kept loaded in ONNX Runtime at once; the least recently used one is unloaded first. */
  @WithDefault("8")
  int maxLoadedModels();

  /** How many tokenizers are kept loaded at once. */
  @WithDefault("16")
  int maxLoadedTokenizers();

  /** Timeout for fetching one blob from the registry (until its first byte). */
  @WithDefault("60s")
  Duration blobTimeout();

  /** The largest tensor, in elements, that one OIP input may carry. */
  @WithDefault("16777216")
  int maxTensorElements();

  /** Settings of {@code POST /v1/embeddings}. */
  Embeddings embeddings();

  /** How many inference calls run on the device at once, and how many may wait for their turn. */
  Admission admission();

  /** The kinds of device a worker can run on. */
  enum DeviceKind {
    /** ONNX Runtime's default CPU execution provider. */
    CPU,
    /** ONNX Runtime's CUDA execution provider (needs the onnxruntime_gpu build and a CUDA driver). */
    GPU
  }

  /** Admission of inference calls to the device ({@code infermint.worker.admission.*}). */
  interface Admission {

    /** Calls that run the model at the same time; unset: one per CPU core. */
    Optional<Integer> maxConcurrent();

    /** Calls that may wait for a turn; the next one is refused at once with 503 {@code overloaded}. */
    @WithDefault("64")
    int maxQueued();

    /** The longest a call waits for its turn (when its deadline is not sooner) before a 503 {@code overloaded}. */
    @WithDefault("30s")
    Duration maxWait();
  }

  /** Settings of the OpenAI-compatible embeddings endpoint. */
  interface Embeddings {

    /** The most strings one request may embed, as OpenAI's limit. */
    @WithDefault("2048")
    int maxInputs();

    /** How many strings go through the model in one ONNX Runtime call; bounds the memory of a large request. */
    @WithDefault("32")
    int batchSize();

    /** Longest token sequence fed to the model when the tokenizer file sets no truncation length. */
    @WithDefault("512")
    int modelMaxLength();
  }
}
