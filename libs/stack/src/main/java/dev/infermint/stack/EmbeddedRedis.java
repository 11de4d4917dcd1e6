package dev.infermint.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import redis.embedded.RedisServer;

/**
 * A real Redis 6.2 server: the binary that {@code com.github.codemonstur:embedded-redis} ships, run as a child
 * process bound to loopback. Quota counters and the usage stream live here, so it runs with the append-only file
 * ({@code appendfsync everysec}) in a data folder that survives a restart, as the embedded PostgreSQL does.
 *
 * <p>{@code INFERMINT_REDIS_URL} (read by {@link #externalUrl()}) points everything at another Redis instead;
 * then nothing is started.
 */
public final class EmbeddedRedis implements AutoCloseable {

  private final RedisServer server;
  private final int port;

  private EmbeddedRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts Redis and waits until it answers {@code PING}.
   *
   * @param dataDir where the append-only file lives; reused when it already holds one
   * @param port the port, or 0 for any free one
   * @return the running server
   * @throws IOException when the server cannot start
   */
  public static EmbeddedRedis start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    int chosen = port > 0 ? port : Ports.free();
    RedisServer server = RedisServer.newRedisServer()
        .bind("127.0.0.1")
        .port(chosen)
        .setting("dir " + dataDir.toAbsolutePath())
        .setting("appendonly yes")
        .setting("appendfsync everysec")
        .setting("save \"\"")
        .setting("protected-mode yes")
        // Quota keys expire by TTL; the usage stream must never be evicted to make room.
        .setting("maxmemory-policy noeviction")
        .onShutdownForceStop(true)
        .build();
    server.start();
    EmbeddedRedis redis = new EmbeddedRedis(server, chosen);
    redis.awaitPing(Duration.ofSeconds(20));
    return redis;
  }

  /** @return {@code INFERMINT_REDIS_URL} when everything should use an external Redis, else null */
  public static String externalUrl() {
    String url = System.getenv("INFERMINT_REDIS_URL");
    return url == null || url.isBlank() ? null : url.trim();
  }

  /** @return the port the server listens on */
  public int port() {
    return port;
  }

  /** @return the server's URL, as {@code INFERMINT_REDIS_URL} takes it */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  private void awaitPing(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(2000);
        OutputStream out = s.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] reply = new byte[7];
        int n = in.readNBytes(reply, 0, reply.length);
        if (new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
        // "-LOADING": the append-only file is still being replayed.
      } catch (IOException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for Redis", e);
      }
    }
    throw new IOException("Redis on port " + port + " did not answer PING within " + timeout.toSeconds() + " s",
        last);
  }

  @Override
  public void close() throws IOException {
    server.stop();
  }
}
