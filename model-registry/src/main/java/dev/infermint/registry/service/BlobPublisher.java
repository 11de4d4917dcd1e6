package dev.infermint.registry.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

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
   * Moves staged files under their digests inside the caller's transaction, which is about to insert the rows that
   * refer to them: the digests' advisory locks are held until that transaction ends, so a concurrent delete of a
   * version with the same bytes waits, then sees the new reference and keeps the file. The row therefore never
   * exists without its file; if the transaction rolls back after this, the file is left unreferenced (wasted disk,
   * removed with the next version of those bytes that is deleted). Locks are taken in digest order, so two uploads
   * of the same model and tokenizer cannot deadlock.
   *
   * @param staged the staged files; null entries are skipped
   * @throws UncheckedIOException when the store fails (the caller's transaction then rolls back)
   */
  public void publishInTransaction(List<BlobStore.StagedBlob> staged) {
    List<BlobStore.StagedBlob> files = staged.stream().filter(Objects::nonNull)
        .sorted(Comparator.comparing(BlobStore.StagedBlob::hex)).toList();
    for (BlobStore.StagedBlob file : files) {
      lockDigest(file.digest());
    }
    for (BlobStore.StagedBlob file : files) {
      try {
        blobs.publish(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
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
