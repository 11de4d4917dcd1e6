package dev.infermint.worker.service;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.onnxruntime.OrtEnvironment;

import io.quarkus.runtime.StartupEvent;

import dev.infermint.worker.config.WorkerConfig;

/**
 * Prepares DJL before the first model loads: it must never reach the network (no model zoo, no native download, no
 * telemetry), it keeps its native libraries under the worker's cache folder, and the configured device must work.
 *
 * <p>Ordering: runs on {@link StartupEvent}, before the HTTP server takes requests and before any other DJL class is
 * used. The ONNX Runtime natives come from the {@code com.microsoft.onnxruntime} jar and the tokenizers natives from
 * the {@code ai.djl.huggingface:tokenizers} jar ({@code native/lib/linux-x86_64/cpu/libtokenizers.so}); both are only
 * extracted, never downloaded.
 */
@ApplicationScoped
public class DjlRuntime {

  private static final Logger LOG = Logger.getLogger(DjlRuntime.class);

  @Inject
  WorkerConfig config;

  @Inject
  InferenceDevice device;

  private volatile boolean started;

  void onStart(@Observes StartupEvent event) {
    enforceOffline();
    Path djlCache = Path.of(config.cacheDir()).resolve("djl").toAbsolutePath();
    setIfAbsent("DJL_CACHE_DIR", djlCache.toString());
    setIfAbsent("ENGINE_CACHE_DIR", djlCache.toString());
    long start = System.nanoTime();
    device.verify();
    Engine engine = Engine.getEngine("OnnxRuntime");
    LibUtils.checkStatus();
    LOG.infof("DJL %s ready in %d ms: %s engine (ONNX Runtime %s, providers %s), device %s, tokenizers native loaded,"
        + " cache %s", Engine.getDjlVersion(), (System.nanoTime() - start) / 1_000_000, engine.getEngineName(),
        OrtEnvironment.getEnvironment().getVersion(), OrtEnvironment.getAvailableProviders(), device.name(),
        djlCache);
    started = true;
  }

  /** @return whether DJL and the device were checked and are usable */
  public boolean started() {
    return started;
  }

  /**
   * Sets DJL's offline switches as system properties, which DJL reads as well as the environment. The launcher and
   * Maven also set {@code DJL_OFFLINE=true} and {@code OPT_OUT_TRACKING=true}; a missing one is worth a warning,
   * since a second JVM started the same way might lack the properties.
   */
  static void enforceOffline() {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    // ONNX Runtime must not pull in a second engine (which would download its natives) for NDArray operations.
    System.setProperty("ai.djl.onnx.disable_alternative", "true");
    System.setProperty("ai.djl.default_engine", "OnnxRuntime");
    for (String env : new String[] {"DJL_OFFLINE", "OPT_OUT_TRACKING"}) {
      if (!"true".equalsIgnoreCase(System.getenv(env))) {
        LOG.warnf("%s is not 'true' in the environment; DJL is kept offline through system properties instead."
            + " Set %s=true for every JVM that loads DJL.", env, env);
      }
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getenv(key) == null && System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
