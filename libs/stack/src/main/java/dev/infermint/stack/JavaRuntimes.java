package dev.infermint.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** Finds a JDK of a given major version or newer, for Keycloak 26 (which needs Java 21+). */
public final class JavaRuntimes {

  private JavaRuntimes() {
  }

  /**
   * Finds a Java home of at least {@code minMajor}: {@code KEYCLOAK_JAVA_HOME} if set, else the newest JDK under
   * {@code /usr/lib/jvm} (or {@code INFERMINT_JVM_DIRS}, colon separated), else {@code JAVA_HOME} or the running JVM.
   *
   * @param minMajor the least major version, e.g. 21
   * @return the Java home
   * @throws IllegalStateException naming where it looked when none fits
   */
  public static Path findJavaHome(int minMajor) {
    String explicit = System.getenv("KEYCLOAK_JAVA_HOME");
    if (explicit != null && !explicit.isBlank()) {
      Path home = Path.of(explicit);
      if (!Files.isExecutable(home.resolve("bin/java"))) {
        throw new IllegalStateException("KEYCLOAK_JAVA_HOME=" + explicit + " has no bin/java");
      }
      return home;
    }
    List<Path> candidates = new ArrayList<>();
    String dirs = Optional.ofNullable(System.getenv("INFERMINT_JVM_DIRS")).orElse("/usr/lib/jvm");
    for (String dir : dirs.split(":")) {
      Path p = Path.of(dir);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(Files::isDirectory).forEach(candidates::add);
        } catch (IOException ignored) {
          // an unreadable folder simply offers no candidates
        }
      }
    }
    Optional.ofNullable(System.getenv("JAVA_HOME")).map(Path::of).ifPresent(candidates::add);
    candidates.add(Path.of(System.getProperty("java.home")));
    return candidates.stream()
        .filter(h -> Files.isExecutable(h.resolve("bin/java")))
        .filter(h -> majorVersion(h) >= minMajor)
        .max(Comparator.comparingInt(JavaRuntimes::majorVersion))
        .orElseThrow(() -> new IllegalStateException("No JDK " + minMajor + "+ found for Keycloak in " + dirs
            + ", JAVA_HOME or the running JVM; install one (e.g. Temurin 21) or set KEYCLOAK_JAVA_HOME"));
  }

  /**
   * @param home a Java home
   * @return its major version read from its {@code release} file, or 0 when unknown
   */
  static int majorVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      p.load(in);
    } catch (IOException e) {
      return 0;
    }
    String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
    String major = v.startsWith("1.") ? v.substring(2, 3) : v.split("[.+-]")[0];
    try {
      return Integer.parseInt(major);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
