package dev.infermint.registry.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content-addressed storage of model and tokenizer files, keyed by the SHA-256 of their bytes.
 *
 * <p>Lifecycle of a write: {@link #stage} copies the incoming bytes to a private temporary file while hashing them;
 * the caller validates that file, records it in the database, and only after the row commits calls
 * {@link #publish} to make it readable under its digest. {@link #discard} drops a staged file that was refused.
 * Exactly one of {@code publish} or {@code discard} must follow every {@code stage}; {@code discard} after
 * {@code publish} does nothing, so it can sit in a {@code finally}.
 *
 * <p>Staging is always a local folder, whatever holds the published blobs: a store on S3 or another object store
 * uploads the staged file in {@link #publish} (a multipart upload keyed by the digest, idempotent because the key is
 * the content) and serves {@link #find} from the bucket (see docs/model-registry.md, "Storage").
 */
public interface BlobStore {

  /**
   * Copies a stream into a staged file, hashing it on the way.
   *
   * @param in the bytes; read to the end, not closed
   * @param maxBytes the largest size accepted
   * @return the staged file with its digest and size
   * @throws BlobTooLargeException when the stream holds more than {@code maxBytes}; nothing is left behind
   * @throws IOException when the store cannot be written
   */
  StagedBlob stage(InputStream in, long maxBytes) throws IOException;

  /**
   * The local folder where staged files live. The HTTP receiver creates its files here and hands them to the pipeline
   * as {@link StagedBlob}s, so a file it wrote is published by a rename, never copied again.
   *
   * @return the staging folder, on the same file system as the published blobs when they are local
   */
  Path stagingFolder();

  /**
   * Makes a staged file durable (its bytes and the rename are on disk before this returns) and readable under its
   * digest. When a blob with that digest is already stored the staged copy is
   * dropped, since the bytes are the same.
   *
   * @param staged a blob returned by {@link #stage}
   * @throws IOException when the file cannot be moved into place
   */
  void publish(StagedBlob staged) throws IOException;

  /**
   * Drops a staged file that will not be published; safe to call twice or after {@link #publish}.
   *
   * @param staged a blob returned by {@link #stage}, may be null
   */
  void discard(StagedBlob staged);

  /**
   * Finds a stored blob.
   *
   * @param hex the lower-case hex SHA-256
   * @return the blob, or empty when none is stored under that digest
   */
  Optional<StoredBlob> find(String hex);

  /**
   * Deletes a stored blob; a missing one is not an error.
   *
   * @param hex the lower-case hex SHA-256
   * @throws IOException when the file exists but cannot be deleted
   */
  void delete(String hex) throws IOException;

  /** @return whether the store can be written right now (for the readiness check) */
  boolean writable();

  /**
   * A file copied into the store's staging area, not yet visible under its digest.
   *
   * @param hex the lower-case hex SHA-256 of the bytes
   * @param sizeBytes the number of bytes
   * @param file a local copy of the bytes, readable until published or discarded
   */
  record StagedBlob(String hex, long sizeBytes, Path file) {

    /** @return the digest as the API writes it, {@code sha256:<hex>} */
    public String digest() {
      return Digests.PREFIX + hex;
    }
  }

  /** A stored blob, opened on demand. */
  interface StoredBlob {

    /** @return the number of bytes */
    long sizeBytes();

    /**
     * Opens the bytes for reading; the caller closes the stream.
     *
     * @return the bytes
     * @throws IOException when the blob vanished or cannot be read
     */
    InputStream open() throws IOException;
  }

  /** Thrown by {@link #stage} when the stream exceeds the size limit. */
  class BlobTooLargeException extends IOException {

    /** @param maxBytes the limit that was exceeded */
    public BlobTooLargeException(long maxBytes) {
      super("more than " + maxBytes + " bytes");
    }
  }
}
