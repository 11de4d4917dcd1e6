package dev.infermint.registry.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * {@link BlobStore} on a local (or mounted) folder: blobs at {@code <root>/blobs/sha256/<hex>}, staged files in
 * {@code <root>/blobs/tmp/} on the same file system so that publishing is an atomic rename. Publishing fsyncs the
 * file before the rename and the folder after it, so a blob whose row committed survives a power cut.
 */
public class FilesystemBlobStore implements BlobStore {

  private static final Logger LOG = Logger.getLogger(FilesystemBlobStore.class);
  private static final int BUFFER = 64 * 1024;
  /** A staged file untouched for this long belongs to no upload in flight (the process that wrote it died). */
  static final Duration STALE_STAGING = Duration.ofHours(1);

  private final Path blobs;
  private final Path tmp;

  /**
   * @param root the registry's data folder; created when missing
   * @throws IOException when the folders cannot be created
   */
  public FilesystemBlobStore(Path root) throws IOException {
    this.blobs = root.resolve("blobs").resolve("sha256");
    this.tmp = root.resolve("blobs").resolve("tmp");
    Files.createDirectories(blobs);
    Files.createDirectories(tmp);
    sweepStaging(Instant.now().minus(STALE_STAGING));
  }

  /**
   * Deletes staged files last written before a moment: what a killed process left half-written. Uploads in flight
   * keep writing, so their files stay younger than the cut-off.
   *
   * @param before the cut-off
   * @return how many files were deleted
   * @throws IOException when the staging folder cannot be listed
   */
  public int sweepStaging(Instant before) throws IOException {
    int deleted = 0;
    FileTime cutOff = FileTime.from(before);
    try (Stream<Path> files = Files.list(tmp)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        try {
          if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(cutOff) < 0) {
            Files.deleteIfExists(file);
            deleted++;
          }
        } catch (IOException e) {
          LOG.warnf("Could not delete the stale staged file %s: %s", file, e.toString());
        }
      }
    }
    if (deleted > 0) {
      LOG.infof("Deleted %d staged files left by an earlier process", deleted);
    }
    return deleted;
  }

  /** @return the folder holding published blobs, one file per digest */
  public Path blobFolder() {
    return blobs;
  }

  @Override
  public Path stagingFolder() {
    return tmp;
  }

  @Override
  public StagedBlob stage(InputStream in, long maxBytes) throws IOException {
    Path file = Files.createTempFile(tmp, "upload-", ".part");
    MessageDigest sha256 = sha256();
    long total = 0;
    boolean ok = false;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new BlobTooLargeException(maxBytes);
        }
        sha256.update(buf, 0, n);
        out.write(buf, 0, n);
      }
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
    return new StagedBlob(HexFormat.of().formatHex(sha256.digest()), total, file);
  }

  @Override
  public void publish(StagedBlob staged) throws IOException {
    Path target = blobs.resolve(staged.hex());
    if (Files.exists(target)) {
      Files.deleteIfExists(staged.file());
      return;
    }
    force(staged.file());
    try {
      Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
      force(blobs);
    } catch (FileAlreadyExistsException e) {
      // Another upload of the same bytes won the race; its copy is identical.
      Files.deleteIfExists(staged.file());
    } catch (AtomicMoveNotSupportedException e) {
      // Staging sits beside the blobs, so this only happens on exotic mounts: copy then rename within the folder.
      Path sibling = Files.createTempFile(blobs, staged.hex(), ".part");
      Files.move(staged.file(), sibling, StandardCopyOption.REPLACE_EXISTING);
      Files.move(sibling, target, StandardCopyOption.REPLACE_EXISTING);
      force(target);
      force(blobs);
    }
  }

  /** fsync of a file, or of a folder so that a rename in it is durable (Linux opens folders read-only for this). */
  private static void force(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (Files.isDirectory(path)) {
        // Some file systems refuse fsync on a folder; the file itself was forced, which is what matters most.
        LOG.debugf("fsync of the folder %s refused: %s", path, e.toString());
        return;
      }
      throw e;
    }
  }

  @Override
  public void discard(StagedBlob staged) {
    if (staged == null) {
      return;
    }
    try {
      Files.deleteIfExists(staged.file());
    } catch (IOException e) {
      LOG.warnf(e, "Could not delete staged file %s", staged.file());
    }
  }

  @Override
  public Optional<StoredBlob> find(String hex) {
    if (!Digests.isHex(hex)) {
      return Optional.empty();
    }
    Path file = blobs.resolve(hex);
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Optional.of(new StoredBlob() {
      @Override
      public long sizeBytes() {
        return size;
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    });
  }

  @Override
  public void delete(String hex) throws IOException {
    if (Digests.isHex(hex)) {
      Files.deleteIfExists(blobs.resolve(hex));
    }
  }

  @Override
  public boolean writable() {
    return Files.isDirectory(blobs) && Files.isWritable(blobs) && Files.isWritable(tmp);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
