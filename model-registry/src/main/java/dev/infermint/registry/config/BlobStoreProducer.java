package dev.infermint.registry.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.infermint.registry.service.BlobStore;
import dev.infermint.registry.service.FilesystemBlobStore;

/** Chooses the {@link BlobStore} named by {@code infermint.registry.blob-store}. */
@ApplicationScoped
public class BlobStoreProducer {

  /**
   * @param config the registry settings
   * @return the configured blob store
   * @throws IllegalStateException when the configured kind is unknown, so that the service refuses to start
   */
  @Produces
  @ApplicationScoped
  public BlobStore blobStore(RegistryConfig config) {
    return switch (config.blobStore()) {
      case "filesystem" -> {
        try {
          yield new FilesystemBlobStore(config.dataDir());
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot create the blob folders under " + config.dataDir(), e);
        }
      }
      default -> throw new IllegalStateException("Unknown infermint.registry.blob-store '" + config.blobStore()
          + "'; supported: filesystem");
    };
  }
}
