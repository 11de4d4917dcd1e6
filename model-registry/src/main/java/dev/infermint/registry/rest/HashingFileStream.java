package dev.infermint.registry.rest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;

import dev.infermint.registry.service.BlobStore;

/**
 * Writes a part of an upload to a file while hashing it with SHA-256 and counting its bytes, so the file is hashed as
 * it arrives and never read back for it. A write past the size limit fails with
 * {@link BlobStore.BlobTooLargeException} before it reaches the file. Back-pressure is the file's: a pipe into this
 * stream pauses the HTTP request while the disk is behind.
 */
final class HashingFileStream implements WriteStream<Buffer> {

  private final AsyncFile file;
  private final MessageDigest sha256;
  private final long maxBytes;
  private long size;
  private boolean overLimit;

  /**
   * @param file the staging file, opened for writing
   * @param maxBytes the largest size accepted
   */
  HashingFileStream(AsyncFile file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  @Override
  public Future<Void> write(Buffer data) {
    size += data.length();
    if (size > maxBytes) {
      overLimit = true;
      return Future.failedFuture(new BlobStore.BlobTooLargeException(maxBytes));
    }
    // A view of the same bytes: nothing is copied to hash them.
    sha256.update(data.getByteBuf().nioBuffer());
    return file.write(data);
  }

  @Override
  public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
    write(data).onComplete(handler);
  }

  @Override
  public Future<Void> end() {
    return file.close();
  }

  @Override
  public void end(Handler<AsyncResult<Void>> handler) {
    end().onComplete(handler);
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    file.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    file.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return file.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    file.drainHandler(handler);
    return this;
  }

  /** @return whether a write went past the limit */
  boolean overLimit() {
    return overLimit;
  }

  /** @return the bytes written so far */
  long size() {
    return size;
  }

  /** @return the lower-case hex SHA-256 of everything written; call once, after the last write */
  String hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** Closes the file after a failure, ignoring a second failure. */
  Future<Void> abandon() {
    return file.close().recover(e -> Future.succeededFuture());
  }
}
