package dev.infermint.worker.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
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

  /**
   * The most GPU memory ONNX Runtime's CUDA arena of one model's session may take ({@code gpu_mem_limit}); unset:
   * ONNX Runtime's default (no limit).
   */
  Optional<MemorySize> gpuMemoryLimit();

  /** Threads ONNX Runtime uses inside one operator; unset lets ONNX Runtime use every core. */
  Optional<Integer> intraOpThreads();

  /**
   * Whether ONNX Runtime's intra-op pool threads spin while waiting for work ({@code session.intra_op.allow_spinning},
   * ONNX Runtime's default). Off, they sleep: less CPU per call and a lower p99 under many clients on a small host,
   * but a slower single client (docs/benchmarks.md, "Intra-op spinning"), so it stays on by default.
   */
  @WithDefault("true")
  boolean intraOpSpinning();

  /** How long a model name resolved by the registry is reused before asking the registry again. */
  @WithDefault("5s")
  Duration resolveCacheTtl();

  /**
   * The memory the loaded models may take together, in bytes ({@code 4G}, {@code 512M}); a load that would exceed it
   * unloads the least recently used idle models first. Unset: half of this machine's physical memory.
   */
  Optional<MemorySize> memoryBudget();

  /**
   * What one loaded model weighs against {@link #memoryBudget()}: its file size times this factor. ONNX Runtime
   * holds the weights, a pre-packed copy of the large ones and the arena of the running batches; all-MiniLM-L6-v2
   * (a 90 MB file) added about 260 MB resident, hence 3.
   */
  @WithDefault("3")
  double modelMemoryFactor();

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

  /** Dynamic batching of inference requests per model ({@code infermint.worker.batching.*}). */
  Batching batching();

  /** The kinds of device a worker can run on. */
  enum DeviceKind {
    /** ONNX Runtime's default CPU execution provider. */
    CPU,
    /** ONNX Runtime's CUDA execution provider (needs the onnxruntime_gpu build and a CUDA driver). */
    GPU
  }

  /** Standalone mode: the worker on a licence buyer's machine, without the platform. */
  Standalone standalone();

  /**
   * {@code infermint.worker.standalone.*}: models from a folder of licensed downloads, served only while the licence
   * and machine files verify offline with the licence public key and entitle them (docs/inference-worker.md).
   */
  /** Registration with the registry's placement (ignored in standalone mode). */
  Placement placement();

  /** How the worker joins the registry's placement ({@code infermint.worker.placement.*}). */
  interface Placement {

    /** Whether the worker registers, heartbeats and loads what the registry assigns it. */
    @WithDefault("true")
    boolean enabled();

    /** The worker's id in the registry; unset: {@code <host>-<port>}. */
    Optional<String> id();

    /** The base URL gateways reach this worker on; unset: {@code http://localhost:<quarkus.http.port>}. */
    Optional<String> advertisedUrl();

    /** How often it heartbeats; the registry's {@code worker-ttl} must be several of these. */
    @WithDefault("1s")
    Duration heartbeatInterval();
  }

  interface Standalone {

    /** Serve from {@link #modelsDir()} under a licence instead of the registry under service tokens. */
    @WithDefault("false")
    boolean enabled();

    /** One folder per model, each the unzipped licensed download ({@code model.onnx}, {@code model.json}, …). */
    Optional<String> modelsDir();

    /** The licence file: the compact JWS {@code POST /api/v1/licenses} answered as {@code license}. */
    Optional<String> licenseFile();

    /** The machine file of this machine ({@code POST /api/v1/licenses/{id}/machines/{machineId}/file}). */
    Optional<String> machineFile();

    /** This machine's fingerprint, as activated. */
    Optional<String> fingerprint();

    /** The licence public key, SubjectPublicKeyInfo PEM ({@code GET /api/v1/licenses/public-key}). */
    Optional<String> publicKey();

    /**
     * An API key that callers from other machines send as {@code Authorization: Bearer <key>}; absent: only callers
     * on this machine (loopback) are served.
     */
    Optional<String> apiKey();

    /** How often the files are verified again (expiry is also checked on every call). */
    @WithDefault("1m")
    Duration checkInterval();
  }

  /** Admission of inference calls to the device ({@code infermint.worker.admission.*}). */
  interface Admission {

    /** Calls that run the model at the same time; unset: one per CPU core. */
    Optional<Integer> maxConcurrent();

    /** Requests that may wait in one model's batch queue; the next is refused at once with 503 {@code overloaded}. */
    @WithDefault("256")
    int maxQueued();

    /** The longest a call waits for its turn (when its deadline is not sooner) before a 503 {@code overloaded}. */
    @WithDefault("30s")
    Duration maxWait();
  }

  /** Dynamic batching, as Triton's dynamic batcher: per model, merged up to a size or until a delay passes. */
  interface Batching {

    /** Whether requests of different callers are merged; off runs every request (or embeddings chunk) alone. */
    @WithDefault("true")
    boolean enabled();

    /** The most rows (dimension 0; strings for embeddings) one merged batch holds. */
    @WithDefault("32")
    int maxBatchSize();

    /**
     * How long the oldest waiting request may wait for others to join it before its batch runs anyway; 0 (Triton's
     * default) runs a batch as soon as the scheduler is free, with whatever has queued meanwhile.
     */
    @WithDefault("0ms")
    Duration maxQueueDelay();

    /**
     * The most rows of one batch while two tenants or more call the model: the request of a tenant that calls one at
     * a time waits behind at most one such batch of another tenant's flood, then runs in one. Larger batches serve
     * more per second, so one tenant alone gets {@code max-batch-size}.
     */
    @WithDefault("8")
    int sharedBatchSize();

    /**
     * Whether a request of a tenant with no batch running starts its batch at once, on one more thread beside the
     * {@code instances} batches that run other tenants' requests, instead of waiting for one of them to end. One
     * tenant alone never uses it; it still takes a turn on the device ({@code admission.max-concurrent}).
     */
    @WithDefault("true")
    boolean fairLane();

    /** Batches of one model that run at the same time, each on the shared ONNX Runtime session. */
    @WithDefault("1")
    int instances();
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
