package dev.infermint.registry.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives each test JVM an empty registry data folder (blobs and staging), removed afterwards. */
public class FreshDataDirResource implements QuarkusTestResourceLifecycleManager {

  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("infermint-registry-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("infermint.registry.data-dir", dir.toString());
  }

  @Override
  public void stop() {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
