package dev.infermint.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waiting for processes to answer, and stopping them. */
final class ProcessSupport {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ProcessSupport() {
  }

  /**
   * Polls a URL until it answers 200, the process dies, or the timeout passes.
   *
   * @param name what is awaited, for messages
   * @param url the readiness URL
   * @param process the process that should answer
   * @param log its log file, whose tail is shown on failure
   * @param timeout how long to wait
   * @throws IOException naming the process and showing its log tail when it never became ready
   */
  static void awaitHttp200(String name, String url, Process process, Path log, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IOException(name + " exited with status " + process.exitValue() + " before it was ready. Log "
            + log + ":\n" + tail(log, 40));
      }
      try {
        if (HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for " + name, e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for " + name, e);
      }
    }
    throw new IOException(name + " was not ready at " + url + " after " + timeout.toSeconds() + " s. Log " + log
        + ":\n" + tail(log, 40));
  }

  /** Stops a process and its children: SIGTERM, then SIGKILL after the grace period. */
  static void stop(Process process, Duration grace) {
    if (process == null) {
      return;
    }
    var children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** @return the last lines of a log file, or a note that it is missing */
  static String tail(Path log, int lines) {
    try {
      var all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
