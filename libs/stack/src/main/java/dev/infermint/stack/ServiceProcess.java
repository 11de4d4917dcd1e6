package dev.infermint.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Infermint service run as its own JVM from its {@code target/quarkus-app}, as in production. */
public final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Path app;
  private final int port;
  private final Map<String, String> env;
  private final List<String> jvmOptions;
  private final Path log;
  private Process process;

  /**
   * @param name the service's name, for messages
   * @param moduleDir the Maven module holding {@code target/quarkus-app/quarkus-run.jar}
   * @param port its HTTP port
   * @param env its environment (added to this process's)
   * @param jvmOptions heap and GC options
   * @param log where its output goes
   */
  public ServiceProcess(String name, Path moduleDir, int port, Map<String, String> env, List<String> jvmOptions,
      Path log) {
    this.name = name;
    this.app = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
    this.port = port;
    this.env = Map.copyOf(env);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.log = log;
  }

  /** Starts the JVM; {@link #awaitReady(Duration)} waits for it. */
  public ServiceProcess start() throws IOException {
    if (!Files.isRegularFile(app)) {
      throw new IOException(name + " is not built: " + app + " is missing (run mvn package -DskipTests)");
    }
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Dquarkus.http.port=" + port);
    cmd.add("-jar");
    cmd.add(app.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    process = pb.start();
    return this;
  }

  /**
   * Waits until {@code /q/health/ready} answers 200.
   *
   * @param timeout how long to wait
   * @throws IOException naming the service and showing its log when it is not ready in time
   */
  public void awaitReady(Duration timeout) throws IOException {
    ProcessSupport.awaitHttp200(name, url() + "/q/health/ready", process, log, timeout);
  }

  /** @return the service's base URL */
  public String url() {
    return "http://localhost:" + port;
  }

  /** @return the service's name */
  public String name() {
    return name;
  }

  /** @return the OS process id, or -1 when not running */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  /** @return its log file */
  public Path log() {
    return log;
  }

  @Override
  public void close() {
    ProcessSupport.stop(process, Duration.ofSeconds(15));
    process = null;
  }
}
