package dev.infermint.registry.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.infermint.registry.service.BlobStore;

/** Ready only while the blob store can take uploads. */
@Readiness
@ApplicationScoped
public class BlobStoreHealthCheck implements HealthCheck {

  @Inject
  BlobStore blobs;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("blob-store").status(blobs.writable()).build();
  }
}
