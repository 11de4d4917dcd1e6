package dev.infermint.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Infermint service run as its own JVM from its {@code target/quarkus-app}, as in production.
 *
 * <p>Besides start and stop, it takes the blows resilience tests deal: {@link #kill()} (SIGKILL, no shutdown hooks
 * run), {@link #pause()} / {@link #resume()} (SIGSTOP / SIGCONT: the process holds its sockets but answers nothing)
 * and {@link #restart(Duration)} (the same port, environment and log again). The methods are synchronized: a test
 * may deal them from another thread than the one that started the process.
 */
public final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Path app;
  private final int port;
  private final Map<String, String> env;
  private final List<String> jvmOptions;
  private final Path log;
  private Process process;
  private boolean paused;

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

  /**
   * Starts the JVM; {@link #awaitReady(Duration)} waits for it.
   *
   * @return this process
   * @throws IOException when the service is not built or the JVM cannot be started
   * @throws IllegalStateException when it is already running
   */
  public synchronized ServiceProcess start() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
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
    paused = false;
    return this;
  }

  /**
   * Waits until {@code /q/health/ready} answers 200.
   *
   * @param timeout how long to wait
   * @throws IOException naming the service and showing its log when it is not ready in time
   */
  public void awaitReady(Duration timeout) throws IOException {
    Process current;
    synchronized (this) {
      current = process;
    }
    ProcessSupport.awaitHttp200(name, url() + "/q/health/ready", current, log, timeout);
  }

  /**
   * Kills the JVM and its child processes with SIGKILL, as a crash or the OOM killer would: no shutdown hook runs,
   * nothing is flushed, in-flight requests are cut. Returns once the process is gone.
   */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    paused = false;
  }

  /**
   * Freezes the JVM and its children with SIGSTOP: connections stay open and requests hang until {@link #resume()},
   * as in a long GC pause or a stalled VM.
   *
   * @throws IOException when the signal cannot be sent
   */
  public synchronized void pause() throws IOException {
    signal("STOP");
    paused = true;
  }

  /**
   * Lets a paused JVM run on (SIGCONT).
   *
   * @throws IOException when the signal cannot be sent
   */
  public synchronized void resume() throws IOException {
    signal("CONT");
    paused = false;
  }

  /**
   * Starts the service again on the same port, with the same environment, appending to the same log, and waits until
   * it is ready. A process still running is stopped gracefully first (resumed first when paused); after
   * {@link #kill()} it is simply started.
   *
   * @param timeout how long to wait for readiness
   * @throws IOException when it does not become ready in time (its log tail is in the message)
   */
  public void restart(Duration timeout) throws IOException {
    synchronized (this) {
      close();
      start();
    }
    awaitReady(timeout);
  }

  /** @return whether the JVM is running (a paused one included) */
  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** @return whether the JVM is paused by {@link #pause()} */
  public synchronized boolean isPaused() {
    return paused && isAlive();
  }

  private void signal(String signal) throws IOException {
    if (!isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(process.pid())));
    process.descendants().forEach(h -> cmd.add(Long.toString(h.pid())));
    try {
      Process kill = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (kill.waitFor() != 0) {
        throw new IOException("kill -" + signal + " " + name + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while sending SIG" + signal + " to " + name, e);
    }
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
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** @return its log file */
  public Path log() {
    return log;
  }

  /** Stops the JVM gracefully (SIGTERM, SIGKILL after 15 s); a paused one is resumed first so it can stop. */
  @Override
  public synchronized void close() {
    if (paused && isAlive()) {
      try {
        signal("CONT");
      } catch (IOException e) {
        // SIGKILL after the grace period still stops it
      }
    }
    paused = false;
    ProcessSupport.stop(process, Duration.ofSeconds(15));
    process = null;
  }
}
