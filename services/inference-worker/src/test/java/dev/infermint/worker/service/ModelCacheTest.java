package dev.infermint.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.infermint.problem.ProblemException;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.worker.batching.BatchMetrics;
import dev.infermint.worker.batching.BatchScheduler;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.metrics.WorkerMetrics;

/**
 * Many models under a memory budget, with real ONNX Runtime sessions of models built here: the least recently used
 * idle model makes room, a model running a request is never evicted, a model heavier than the budget is refused
 * with the sizes, and a gpu deployment on this CPU-only host fails its load instead of running on the CPU.
 */
class ModelCacheTest {

  @TempDir
  static Path dir;

  private final Map<String, Path> files = new HashMap<>();
  private SimpleMeterRegistry registry;
  private ModelCache cache;
  private long affineBytes;

  @BeforeAll
  static void offline() {
    DjlRuntime.enforceOffline();
  }

  @BeforeEach
  void setUp() {
    WorkerConfig config = new SmallRyeConfigBuilder().addDiscoveredConverters().withMapping(WorkerConfig.class)
        .withDefaultValue("infermint.worker.cache-dir", dir.toString())
        .withDefaultValue("infermint.worker.intra-op-threads", "1")
        .build().getConfigMapping(WorkerConfig.class);
    registry = new SimpleMeterRegistry();
    cache = new ModelCache();
    cache.config = config;
    cache.metrics = new WorkerMetrics(registry);
    cache.devices = new InferenceDevices();
    cache.devices.config = config;
    cache.blobs = new BlobCache() {
      @Override
      public Path fetch(String hex, String requestId) {
        return files.get(hex);
      }
    };
    affineBytes = OnnxModelBuilder.affine(new float[] {1, 1, 1}, new float[] {0, 0, 0}).length;
    // Two small models fit, a third does not.
    cache.configure(affineBytes * 5 / 2, 1.0);
  }

  @Test
  void aLoadBeyondTheBudgetEvictsTheLeastRecentlyUsedIdleModelWithItsScheduler() throws Exception {
    ResolvedModel one = affine("one", 1);
    ResolvedModel two = affine("two", 2);
    ResolvedModel three = affine("three", 3);
    OrtLoadedModel twoSession;
    BatchScheduler<String, String> twoScheduler;
    try (var lease = cache.acquire(one, Deadline.NONE, null)) {
      assertEquals(List.of(2f, 4f, 6f), run(lease.get(), 2, 4, 6), "y = x * 1 + 0");
    }
    try (var lease = cache.acquire(two, Deadline.NONE, null)) {
      twoSession = lease.get();
      twoScheduler = twoSession.scheduler("oip", () -> new BatchScheduler<>("two", new BatchScheduler.Settings(4,
          Duration.ZERO, 1, 8), inputs -> inputs, Runnable::run, () -> () -> { }, BatchMetrics.NONE));
    }
    cache.acquire(one, Deadline.NONE, null).close();  // "one" is now the most recently used

    try (var lease = cache.acquire(three, Deadline.NONE, null)) {
      assertEquals(List.of(3f, 6f, 9f), run(lease.get(), 1, 2, 3), "y = x * 3 + 0");
    }

    assertTrue(twoSession.closed(), "the least recently used model's session was closed");
    assertEquals(0, twoSession.schedulers(), "and its scheduler went with it");
    ProblemException refused = assertThrows(ProblemException.class,
        () -> twoScheduler.submit("t", "k", 1, Deadline.NONE, "x"));
    assertEquals(503, refused.status(), "a closed scheduler takes nothing more");
    assertEquals(2, cache.loaded());
    assertEquals(1.0, registry.get("infermint.model.evictions").tag("model", "two").tag("version", "2").counter()
        .count());
    ModelCache.Status evicted = status("two");
    assertEquals(ModelCache.State.UNAVAILABLE, evicted.state());
    assertTrue(evicted.reason().contains("evicted"), evicted.reason());
    assertEquals(ModelCache.State.READY, status("one").state());
    assertEquals(ModelCache.State.READY, status("three").state());
    ProblemException notReady = assertThrows(ProblemException.class, () -> cache.checkReady(two));
    assertEquals("model_not_ready", notReady.problem().code());

    try (var lease = cache.acquire(two, Deadline.NONE, null)) {
      assertEquals(List.of(2f, 4f, 6f), run(lease.get(), 1, 2, 3), "an evicted model loads again on its next call");
    }
  }

  @Test
  void aModelRunningARequestIsNeverEvictedAndTheLoadIsA503NamingTheSizes() {
    ResolvedModel one = affine("one", 1);
    ResolvedModel two = affine("two", 2);
    try (var first = cache.acquire(one, Deadline.NONE, null);
        var second = cache.acquire(two, Deadline.NONE, null)) {
      ProblemException e = assertThrows(ProblemException.class,
          () -> cache.acquire(affine("three", 3), Deadline.NONE, null));
      assertEquals(503, e.status());
      assertEquals("insufficient_memory", e.problem().code());
      assertTrue(e.problem().detail().contains(affineBytes + " bytes of the memory budget of "
          + cache.budgetBytes()), e.problem().detail());
      assertTrue(e.headers().containsKey("Retry-After"));
      assertFalse(first.get().closed());
      assertFalse(second.get().closed());
    }
    assertEquals(2, cache.loaded());
  }

  @Test
  void aModelLargerThanTheWholeBudgetIsA507NamingTheSizes() {
    float[] wide = new float[1000];
    byte[] bytes = OnnxModelBuilder.affine(wide, wide);
    ResolvedModel huge = model("huge", 1, bytes, Deployment.DEFAULTS);
    ProblemException e = assertThrows(ProblemException.class, () -> cache.acquire(huge, Deadline.NONE, null));
    assertEquals(507, e.status());
    assertEquals("model_too_large", e.problem().code());
    assertTrue(e.problem().detail().contains("needs " + bytes.length + " bytes"), e.problem().detail());
    assertTrue(e.problem().detail().contains("budget of " + cache.budgetBytes() + " bytes"), e.problem().detail());
    assertEquals(0, cache.loaded());
    assertEquals(ModelCache.State.UNAVAILABLE, status("huge").state());
  }

  @Test
  void aGpuDeploymentOnAHostWithoutCudaFailsItsLoadAndIsCounted() {
    ResolvedModel gpu = model("on-gpu", 1, OnnxModelBuilder.affine(new float[] {1, 2, 3}, new float[] {0, 0, 0}),
        new Deployment("gpu", null, null, null));
    for (int i = 1; i <= 2; i++) {
      ProblemException e = assertThrows(ProblemException.class, () -> cache.acquire(gpu, Deadline.NONE, null));
      assertEquals(503, e.status());
      assertEquals("device_unavailable", e.problem().code());
      assertTrue(e.problem().detail().contains("device 'gpu'"), e.problem().detail());
      assertTrue(e.problem().detail().contains("CUDA"), e.problem().detail());
      assertEquals(i, registry.get("infermint.model.load.failures").tag("model", "on-gpu")
          .tag("reason", "device_unavailable").counter().count());
    }
    assertEquals(0, cache.loaded(), "never loaded on the CPU instead");
    assertEquals("gpu", status("on-gpu").device());
  }

  private ModelCache.Status status(String name) {
    return cache.index().stream().filter(s -> s.model().name().equals(name)).findFirst().orElseThrow();
  }

  private ResolvedModel affine(String name, float factor) {
    return model(name, (int) factor, OnnxModelBuilder.affine(new float[] {factor, factor, factor},
        new float[] {0, 0, 0}), Deployment.DEFAULTS);
  }

  private ResolvedModel model(String name, int version, byte[] onnx, Deployment deployment) {
    try {
      String hex = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
      Path file = Files.write(dir.resolve(hex), onnx);
      files.put(hex, file);
      TensorSpec x = new TensorSpec("x", "FP32", new long[] {-1, 3});
      TensorSpec y = new TensorSpec("y", "FP32", new long[] {-1, 3});
      return new ResolvedModel(name, Integer.toString(version), "tenant-a", "generic", hex, null, List.of(x),
          List.of(y), deployment);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Float> run(OrtLoadedModel model, float... x) throws Exception {
    return model.run(manager -> new NDList(manager.create(x, new Shape(1, x.length))), out -> {
      float[] y = out.get(0).toFloatArray();
      Float[] boxed = new Float[y.length];
      for (int i = 0; i < y.length; i++) {
        boxed[i] = y[i];
      }
      return List.of(boxed);
    });
  }
}
