package dev.infermint.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real Keycloak 26 server from the {@code keycloak-quarkus-dist} zip in the local Maven repository, run on a
 * JDK 21+ found by {@link JavaRuntimes}, storing its data in PostgreSQL, importing realm {@code infermint}.
 *
 * <p>Lifecycle: {@link #install()} unpacks the zip and runs {@code kc.sh build} once into a cache folder shared by
 * the launcher and the tests (guarded by a file lock), so later starts skip the ~25 s augmentation; {@link #start()}
 * then runs {@code kc.sh start --optimized}; {@link #close()} stops it.
 */
public final class KeycloakServer implements AutoCloseable {

  /** The realm every service uses. */
  public static final String REALM = "infermint";
  /** Build options; a change here invalidates the cached build. */
  private static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--features=organization");

  private final Path home;
  private final int port;
  private final String dbUrl;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  /**
   * @param home the built server (see {@link #install()})
   * @param port the HTTP port
   * @param dbUrl JDBC URL of its PostgreSQL database
   * @param env environment for the realm import placeholders (client secrets)
   * @param log where its output goes
   */
  public KeycloakServer(Path home, int port, String dbUrl, Map<String, String> env, Path log) {
    this.home = home;
    this.port = port;
    this.dbUrl = dbUrl;
    this.env = Map.copyOf(env);
    this.log = log;
  }

  /** @return the Keycloak version this build ships */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = KeycloakServer.class.getResourceAsStream("/infermint-stack.properties")) {
      p.load(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("infermint-stack.properties missing from the classpath", e);
    }
    return p.getProperty("keycloak.version");
  }

  /** @return the cache folder: {@code INFERMINT_CACHE_DIR}, else {@code ~/.cache/infermint} */
  public static Path cacheDir() {
    String dir = System.getenv("INFERMINT_CACHE_DIR");
    return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache",
        "infermint");
  }

  /** @return the distribution zip: {@code INFERMINT_KEYCLOAK_DIST}, else the local Maven repository's copy */
  public static Path distZip() {
    String explicit = System.getenv("INFERMINT_KEYCLOAK_DIST");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String repo = System.getProperty("maven.repo.local");
    Path repoDir = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    String v = version();
    return repoDir.resolve("org/keycloak/keycloak-quarkus-dist/" + v + "/keycloak-quarkus-dist-" + v + ".zip");
  }

  /**
   * Unpacks and builds the server once, in the cache folder.
   *
   * @return the server home
   * @throws IOException when the zip is missing or the build fails
   */
  public static Path install() throws IOException {
    Path cache = cacheDir();
    Files.createDirectories(cache);
    Path home = cache.resolve("keycloak-" + version());
    Path marker = home.resolve(".infermint-built");
    String wanted = String.join(" ", BUILD_OPTIONS);
    try (RandomAccessFile lockFile = new RandomAccessFile(cache.resolve("keycloak.lock").toFile(), "rw");
         FileLock ignored = lockFile.getChannel().lock()) {
      if (Files.isRegularFile(marker) && Files.readString(marker).equals(wanted)) {
        return home;
      }
      if (!Files.isDirectory(home.resolve("bin"))) {
        unzip(distZip(), cache);
      }
      Path buildLog = cache.resolve("keycloak-build.log");
      List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
      cmd.addAll(BUILD_OPTIONS);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(buildLog.toFile());
      pb.environment().put("JAVA_HOME", JavaRuntimes.findJavaHome(21).toString());
      Process p = pb.start();
      try {
        if (p.waitFor() != 0) {
          throw new IOException("kc.sh build failed:\n" + ProcessSupport.tail(buildLog, 30));
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted during kc.sh build", e);
      }
      Files.writeString(marker, wanted);
      return home;
    }
  }

  private static void unzip(Path zip, Path target) throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new IOException("Keycloak distribution not found at " + zip
          + "; build the project once with Maven (it downloads it), or set INFERMINT_KEYCLOAK_DIST");
    }
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = zf.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        Path out = target.resolve(e.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new IOException("Zip entry escapes the target: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          try (InputStream in = zf.getInputStream(e)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
          }
          if (out.toString().endsWith(".sh")) {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
          }
        }
      }
    }
  }

  /**
   * Starts the server and waits until realm {@value #REALM} answers.
   *
   * @throws IOException when it does not become ready within three minutes
   */
  public void start() throws IOException {
    Path importDir = home.resolve("data/import");
    Files.createDirectories(importDir);
    try (InputStream in = KeycloakServer.class.getResourceAsStream("keycloak/infermint-realm.json")) {
      if (in == null) {
        throw new IOException("infermint-realm.json missing from the classpath");
      }
      Files.copy(in, importDir.resolve("infermint-realm.json"), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.createDirectories(log.getParent());
    List<String> cmd = List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
        "--db-url=" + dbUrl,
        "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port, "--hostname-strict=false",
        "--cache=local", "--import-realm");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    // Credentials through the environment, so they never show in a process listing.
    pb.environment().putIfAbsent("KC_DB_USERNAME", env.getOrDefault("INFERMINT_KEYCLOAK_DB_USER",
        System.getenv().getOrDefault("INFERMINT_DB_USER", EmbeddedDatabase.USER)));
    pb.environment().putIfAbsent("KC_DB_PASSWORD", env.getOrDefault("INFERMINT_KEYCLOAK_DB_PASSWORD",
        System.getenv().getOrDefault("INFERMINT_DB_PASSWORD", EmbeddedDatabase.USER)));
    pb.environment().put("JAVA_HOME", JavaRuntimes.findJavaHome(21).toString());
    pb.environment().putIfAbsent("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    process = pb.start();
    ProcessSupport.awaitHttp200("Keycloak", url() + "/realms/" + REALM + "/.well-known/openid-configuration",
        process, log, Duration.ofMinutes(3));
  }

  /** @return the base URL, e.g. {@code http://localhost:8180} */
  public String url() {
    return "http://localhost:" + port;
  }

  /** @return the realm's issuer URL */
  public String realmUrl() {
    return url() + "/realms/" + REALM;
  }

  @Override
  public void close() {
    ProcessSupport.stop(process, Duration.ofSeconds(20));
    process = null;
  }
}
