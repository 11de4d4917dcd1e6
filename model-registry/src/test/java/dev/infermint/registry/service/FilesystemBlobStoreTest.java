package dev.infermint.registry.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem store on a real folder: staging, publishing under the digest, and what a crash leaves. */
class FilesystemBlobStoreTest {

  @TempDir
  Path root;

  @Test
  void aStagedFileIsPublishedUnderItsDigestAndStagingIsEmptyAfterwards() throws IOException {
    FilesystemBlobStore store = new FilesystemBlobStore(root);
    byte[] bytes = "model bytes".getBytes(StandardCharsets.UTF_8);
    BlobStore.StagedBlob staged = store.stage(new ByteArrayInputStream(bytes), 1024);
    assertEquals("sha256:" + java.util.HexFormat.of().formatHex(sha256(bytes)), staged.digest());
    assertTrue(store.find(staged.hex()).isEmpty(), "not readable before it is published");
    store.publish(staged);
    store.discard(staged);
    try (InputStream in = store.find(staged.hex()).orElseThrow().open()) {
      assertArrayEquals(bytes, in.readAllBytes());
    }
    assertEquals(0, count(store.stagingFolder()));
  }

  @Test
  void theSameBytesTwiceAreOneFile() throws IOException {
    FilesystemBlobStore store = new FilesystemBlobStore(root);
    byte[] bytes = new byte[100_000];
    store.publish(store.stage(new ByteArrayInputStream(bytes), bytes.length));
    store.publish(store.stage(new ByteArrayInputStream(bytes), bytes.length));
    assertEquals(1, count(store.blobFolder()));
    assertEquals(0, count(store.stagingFolder()));
  }

  @Test
  void aStreamOverTheLimitLeavesNothing() throws IOException {
    FilesystemBlobStore store = new FilesystemBlobStore(root);
    assertThrows(BlobStore.BlobTooLargeException.class,
        () -> store.stage(new ByteArrayInputStream(new byte[2048]), 1024));
    assertEquals(0, count(store.stagingFolder()));
  }

  @Test
  void startingSweepsStagedFilesAKilledProcessLeftButNotOnesInFlight() throws IOException {
    new FilesystemBlobStore(root);
    Path staging = root.resolve("blobs").resolve("tmp");
    Path stale = Files.write(staging.resolve("upload-1.part"), new byte[10]);
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(FilesystemBlobStore.STALE_STAGING)
        .minus(Duration.ofMinutes(1))));
    Path inFlight = Files.write(staging.resolve("upload-2.part"), new byte[10]);
    new FilesystemBlobStore(root);
    assertFalse(Files.exists(stale), "a file untouched for over an hour is swept");
    assertTrue(Files.exists(inFlight), "a file being written is kept");
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }
}
