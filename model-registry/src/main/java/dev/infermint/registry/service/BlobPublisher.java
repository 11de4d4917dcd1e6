package dev.infermint.registry.service;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.registry.repository.ModelRepository;
import dev.infermint.registry.repository.ModelVersionRepository;

/**
 * Publishes staged files and deletes unreferenced ones, each under a PostgreSQL advisory lock on the digest, so a
 * version being deleted never removes a file that a concurrent upload of the same bytes has just recorded.
 */
@ApplicationScoped
public class BlobPublisher {

  @Inject
  BlobStore blobs;

  @Inject
  ModelRepository models;

  @Inject
  ModelVersionRepository versions;


  /**
   * Moves a staged file under its digest.
   *
   * @param staged the staged file
   * @throws UncheckedIOException when the store fails
   */
  public void publish(BlobStore.StagedBlob staged) {
    QuarkusTransaction.requiringNew().run(() -> {
      lockDigest(staged.digest());
      try {
        blobs.publish(staged);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Deletes a file when no version refers to it any more.
   *
   * @param digest {@code sha256:<hex>}
   * @throws UncheckedIOException when the store fails
   */
  public void deleteIfUnreferenced(String digest) {
    QuarkusTransaction.requiringNew().run(() -> {
      lockDigest(digest);
      if (versions.countReferences(digest) == 0) {
        try {
          blobs.delete(Digests.hexOf(digest));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
  }

  private void lockDigest(String digest) {
    models.getEntityManager()
        .createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) l")
        .setParameter(1, digest).getSingleResult();
  }
}
