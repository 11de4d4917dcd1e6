package dev.infermint.worker.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.config.WorkerConfig;

/**
 * The models loaded in ONNX Runtime, at most {@code infermint.worker.max-loaded-models}, keyed by file digest so that
 * two names (or tenants) sharing one file share one session. Models are loaded with DJL's OnnxRuntime engine on the
 * configured {@link InferenceDevice}.
 */
@ApplicationScoped
public class ModelCache {

  private static final Logger LOG = Logger.getLogger(ModelCache.class);

  @Inject
  BlobCache blobs;

  @Inject
  InferenceDevice device;

  @Inject
  WorkerConfig config;

  private ResourcePool<OrtLoadedModel> pool;

  @PostConstruct
  void init() {
    pool = new ResourcePool<>("model", config.maxLoadedModels());
  }

  @PreDestroy
  void shutdown() {
    pool.clear();
  }

  /**
   * Gets a model's session, downloading and loading it first if needed.
   *
   * @param model the resolved model
   * @param deadline how long to wait for another request's load of the same file
   * @param requestId the request id to forward to the registry
   * @return a lease to close when the request is done with the model
   * @throws ProblemException 422 when ONNX Runtime cannot load the file; 502/503 when it cannot be fetched; 504 when
   *     the deadline passes while another request loads it
   */
  public ResourcePool.Lease<OrtLoadedModel> acquire(ResolvedModel model, Deadline deadline, String requestId) {
    return pool.acquire(model.digest(), () -> load(model, requestId), deadline);
  }

  /** @return how many models are loaded */
  public long loaded() {
    return pool.size();
  }

  private OrtLoadedModel load(ResolvedModel resolved, String requestId) {
    Path file = blobs.fetch(resolved.digest(), requestId);
    long start = System.nanoTime();
    Model model = Model.newInstance("sha256-" + resolved.digest().substring(0, 12), Device.cpu(), "OnnxRuntime");
    OrtSession.SessionOptions options = null;
    try {
      options = device.sessionOptions();
      model.load(file, null, Map.of("sessionOptions", options));
      long size = Files.size(file);
      LOG.infof("Loaded model %s:%s (sha256:%s, %d bytes) on %s in %d ms", resolved.name(), resolved.version(),
          resolved.digest(), size, device.name(), (System.nanoTime() - start) / 1_000_000);
      return new OrtLoadedModel(model, options, resolved.digest(), size);
    } catch (MalformedModelException | OrtException | IOException | EngineException e) {
      model.close();
      if (options != null) {
        options.close();
      }
      String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
          : e.getMessage();
      LOG.warnf("Model %s:%s (sha256:%s) failed to load: %s", resolved.name(), resolved.version(),
          resolved.digest(), reason);
      throw InferenceProblems.modelLoadFailed(resolved.name(), resolved.version(), reason);
    }
  }
}
