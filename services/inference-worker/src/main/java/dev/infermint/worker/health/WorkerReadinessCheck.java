package dev.infermint.worker.health;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.infermint.worker.service.BlobCache;
import dev.infermint.worker.service.DjlRuntime;
import dev.infermint.worker.service.InferenceDevice;
import dev.infermint.worker.service.ModelCache;
import dev.infermint.worker.standalone.Standalone;

/** Ready once ONNX Runtime and the device were checked and the blob cache folder can be written. */
@Readiness
@ApplicationScoped
public class WorkerReadinessCheck implements HealthCheck {

  @Inject
  Standalone standalone;

  @Inject
  DjlRuntime runtime;

  @Inject
  InferenceDevice device;

  @Inject
  BlobCache blobs;

  @Inject
  ModelCache models;

  @Override
  public HealthCheckResponse call() {
    Path folder = blobs.folder();
    boolean writable = Files.isDirectory(folder) ? Files.isWritable(folder) : Files.isWritable(nearest(folder));
    boolean licensed = !standalone.enabled() || standalone.license().serving();
    return HealthCheckResponse.named("inference-worker")
        .status(runtime.started() && writable && licensed)
        .withData("mode", standalone.enabled() ? "standalone" : "platform")
        .withData("license", !standalone.enabled() ? "n/a" : licensed ? "valid" : standalone.license().refusal())
        .withData("device", device.name())
        .withData("blobCache", folder.toAbsolutePath().toString())
        .withData("blobCacheWritable", writable)
        .withData("loadedModels", models.loaded())
        .build();
  }

  private static Path nearest(Path folder) {
    Path p = folder.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? Path.of(".") : p;
  }
}
