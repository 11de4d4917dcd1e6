package dev.infermint.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.stack.EmbeddedDatabase;

/**
 * Starts one real PostgreSQL per test JVM (zonky's embedded binaries, a throw-away data folder) and points the
 * Quarkus datasource at its {@code infermint} database. With {@code INFERMINT_DB_URL} set it starts nothing and uses
 * that server instead. Register it once per module with global scope so that all tests share one Quarkus boot.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedDatabase db;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    String external = System.getenv("INFERMINT_DB_URL");
    if (external != null && !external.isBlank()) {
      config.put("quarkus.datasource.jdbc.url", external);
      config.put("quarkus.datasource.username", System.getenv().getOrDefault("INFERMINT_DB_USER", "postgres"));
      config.put("quarkus.datasource.password", System.getenv().getOrDefault("INFERMINT_DB_PASSWORD", ""));
      return config;
    }
    try {
      Path dir = Files.createTempDirectory("infermint-test-pg");
      db = EmbeddedDatabase.start(dir.resolve("data"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
    }
    config.put("quarkus.datasource.jdbc.url", db.jdbcUrl(EmbeddedDatabase.APP_DB));
    config.put("quarkus.datasource.username", EmbeddedDatabase.USER);
    config.put("quarkus.datasource.password", EmbeddedDatabase.USER);
    return config;
  }

  @Override
  public void stop() {
    if (db != null) {
      try {
        db.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
