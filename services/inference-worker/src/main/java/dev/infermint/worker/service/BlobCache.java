package dev.infermint.worker.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.worker.client.RegistryClient;
import dev.infermint.worker.config.WorkerConfig;
import dev.infermint.worker.standalone.Standalone;

/**
 * The worker's disk cache of registry blobs (model files and tokenizers), at {@code <cache-dir>/blobs/<sha256 hex>}.
 * A blob is downloaded to a temporary file, its sha256 checked, and only then moved into place, so a file under its
 * digest's name is always complete and verified. Concurrent requests for the same missing blob share one download.
 */
@ApplicationScoped
public class BlobCache {

  private static final Logger LOG = Logger.getLogger(BlobCache.class);

  @Inject
  RegistryClient registry;

  @Inject
  Standalone standalone;

  @Inject
  WorkerConfig config;

  private final ConcurrentMap<String, CompletableFuture<Path>> downloads = new ConcurrentHashMap<>();

  /** @return the folder the blobs live in */
  public Path folder() {
    return Path.of(config.cacheDir()).resolve("blobs");
  }

  /**
   * The local file of a blob, downloaded and verified first if needed.
   *
   * @param hex the blob's sha256, lowercase hex
   * @param requestId the request id to forward to the registry
   * @return the verified file
   * @throws ProblemException 502 when the registry lacks the blob or serves other bytes, 503 when it is down
   */
  public Path fetch(String hex, String requestId) {
    if (standalone.enabled()) {
      return standalone.blob(hex);
    }
    Path file = folder().resolve(hex);
    if (Files.isRegularFile(file)) {
      return file;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = downloads.putIfAbsent(hex, mine);
    if (running != null) {
      return join(running);
    }
    try {
      mine.complete(download(hex, file, requestId));
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
    } finally {
      downloads.remove(hex, mine);
    }
    return join(mine);
  }

  private Path download(String hex, Path file, String requestId) {
    long start = System.nanoTime();
    Path tmp = file.resolveSibling(hex + ".part-" + UUID.randomUUID());
    try {
      Files.createDirectories(file.getParent());
      boolean found = ModelResolver.callRegistry(() -> registry.downloadBlob(hex, tmp, requestId));
      if (!found) {
        throw Problems.upstream("the model registry has no blob sha256:" + hex);
      }
      String actual = sha256(tmp);
      if (!actual.equals(hex)) {
        Files.deleteIfExists(tmp);
        LOG.errorf("Blob sha256:%s from the registry hashed to sha256:%s; discarded", hex, actual);
        throw Problems.upstream("the model registry served blob sha256:" + hex
            + " with other content (sha256:" + actual + "); it was discarded");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.infof("Cached blob sha256:%s (%d bytes) in %d ms", hex, Files.size(file),
          (System.nanoTime() - start) / 1_000_000);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write blob cache " + file.getParent(), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort; the next download of this blob uses a new temporary name
      }
    }
  }

  /**
   * @param file a file
   * @return its SHA-256, lower-case hex
   * @throws IOException when it cannot be read
   */
  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Path join(CompletableFuture<Path> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
