package dev.infermint.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.worker.LocalRegistryResource;
import dev.infermint.worker.batching.BatchScheduler;
import dev.infermint.worker.batching.Pending;

/**
 * The registry's {@code deployment.instances} reaches the model's batcher: model {@code deployed} (instances 2 in
 * the registry's answer) runs two batches at the same time. Each batch waits at a barrier for the other, so the
 * calls complete only if both batches run at once; with one instance the first would wait for a second batch that
 * never starts, and the barrier's timeout fails the test.
 */
@QuarkusTest
class DeploymentInstancesTest {

  @Inject
  ModelResolver resolver;

  @Inject
  InferenceAdmission admission;

  @Test
  void aModelDeployedWithTwoInstancesRunsTwoBatchesAtOnce() throws Exception {
    ResolvedModel deployed = resolver.resolve(LocalRegistryResource.TENANT_A, "deployed", null, "instances-test");
    assertEquals(2, deployed.deployment().instances(), "instances as the registry resolved it");
    BatchScheduler.Settings settings = admission.settings(deployed.deployment());
    assertEquals(2, settings.instances());
    assertEquals(4, settings.maxBatchSize());
    // The worker's default for a model without a deployment.
    assertEquals(1, admission.settings(resolver.resolve(LocalRegistryResource.TENANT_A, "affine", null,
        "instances-test").deployment()).instances());

    CyclicBarrier bothRunning = new CyclicBarrier(2);
    ExecutorService threads = Executors.newCachedThreadPool();
    // No device turns here: the worker's admission.max-concurrent (its cores) is not what is tested.
    BatchScheduler<String, String> scheduler = new BatchScheduler<>("deployed", settings, inputs -> {
      bothRunning.await(30, TimeUnit.SECONDS);
      return inputs.stream().map(s -> s + " ran").toList();
    }, threads, () -> () -> { });
    try {
      // Each request fills a batch (4 rows), so neither waits for the 10 s queue delay.
      Pending<String> first = scheduler.submit("t", "k", 4, Deadline.NONE, "first");
      Pending<String> second = scheduler.submit("t", "k", 4, Deadline.NONE, "second");
      assertEquals(List.of("first ran", "second ran"), List.of(first.await(Deadline.NONE, Duration.ofSeconds(60)),
          second.await(Deadline.NONE, Duration.ofSeconds(60))));
    } finally {
      scheduler.close();
      threads.shutdownNow();
    }
  }
}
