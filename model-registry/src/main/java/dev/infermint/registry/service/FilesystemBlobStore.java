package dev.infermint.registry.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * {@link BlobStore} on a local (or mounted) folder: blobs at {@code <root>/blobs/sha256/<hex>}, staged files in
 * {@code <root>/blobs/tmp/} on the same file system so that publishing is an atomic rename.
 */
public class FilesystemBlobStore implements BlobStore {

  private static final Logger LOG = Logger.getLogger(FilesystemBlobStore.class);
  private static final int BUFFER = 64 * 1024;

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
  }

  /** @return the folder holding published blobs, one file per digest */
  public Path blobFolder() {
    return blobs;
  }

  /** @return the folder holding staged files */
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
    try {
      Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // Another upload of the same bytes won the race; its copy is identical.
      Files.deleteIfExists(staged.file());
    } catch (AtomicMoveNotSupportedException e) {
      // Staging sits beside the blobs, so this only happens on exotic mounts: copy then rename within the folder.
      Path sibling = Files.createTempFile(blobs, staged.hex(), ".part");
      Files.move(staged.file(), sibling, StandardCopyOption.REPLACE_EXISTING);
      Files.move(sibling, target, StandardCopyOption.REPLACE_EXISTING);
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
