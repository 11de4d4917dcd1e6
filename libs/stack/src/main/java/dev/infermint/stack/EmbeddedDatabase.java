package dev.infermint.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (zonky's embedded binaries) with the databases Infermint needs: {@code infermint}
 * (one schema per service) and {@code keycloak}. Its data directory survives a restart unless it is temporary.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** Database holding every service's schema. */
  public static final String APP_DB = "infermint";
  /** Database of Keycloak. */
  public static final String KEYCLOAK_DB = "keycloak";
  /** Superuser of the embedded server (trust authentication on loopback). */
  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL.
   *
   * @param dataDir where the cluster lives; reused when it already holds one
   * @param port the port, or 0 for any free one
   * @return the running server, with both databases present
   * @throws IOException when the server cannot start
   */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir.getParent());
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "200")
        .setServerConfig("listen_addresses", "localhost");
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedDatabase db = new EmbeddedDatabase(builder.start());
    db.createDatabase(APP_DB);
    db.createDatabase(KEYCLOAK_DB);
    return db;
  }

  /** @return the port the server listens on */
  public int port() {
    return postgres.getPort();
  }

  /**
   * @param database a database name
   * @return its JDBC URL
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  private void createDatabase(String name) throws IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IOException("Cannot create database " + name, e);
    }
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
