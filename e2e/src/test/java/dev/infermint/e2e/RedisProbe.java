package dev.infermint.e2e;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.infermint.metering.UsageStream;

/**
 * Reads the state of billing's consumer group on the usage stream straight from Redis (a few RESP commands over one
 * socket), so a test can see whether billing holds a batch it has read but not acknowledged, and when it has
 * consumed everything. Read-only: it never changes the stream.
 */
final class RedisProbe implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String stream;

  private RedisProbe(Socket socket, String stream) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.stream = stream;
  }

  /**
   * @param redisUrl {@code redis://host:port}, as the stack gives it
   * @return a probe on the default usage stream ({@link UsageStream#DEFAULT_KEY})
   */
  static RedisProbe connect(String redisUrl) {
    URI uri = URI.create(redisUrl);
    try {
      Socket socket = new Socket(uri.getHost(), uri.getPort());
      socket.setSoTimeout(5000);
      return new RedisProbe(socket, UsageStream.DEFAULT_KEY);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach Redis at " + redisUrl, e);
    }
  }

  /** @return entries delivered to billing's consumers and not acknowledged yet (0 when the group does not exist) */
  long pending() {
    Group g = group();
    return g == null ? 0 : g.pending();
  }

  /** @return the id of the last entry billing's group was given, or null when the group does not exist yet */
  String lastDelivered() {
    Group g = group();
    return g == null ? null : g.lastDeliveredId();
  }

  /**
   * @return whether billing has been given every entry of the stream and acknowledged each: after that, every event
   *     the gateways wrote is in billing's database (it acknowledges only after the commit)
   */
  boolean drained() {
    Group g = group();
    if (g == null) {
      return false;
    }
    List<?> info = (List<?>) call("XINFO", "STREAM", stream);
    return g.pending() == 0 && g.lastDeliveredId().equals(field(info, "last-generated-id"));
  }

  /** Billing's consumer group as {@code XINFO GROUPS} shows it. */
  private record Group(long pending, String lastDeliveredId) {
  }

  private Group group() {
    Object reply;
    try {
      reply = call("XINFO", "GROUPS", stream);
    } catch (IllegalStateException e) {
      return null; // no stream yet
    }
    for (Object g : (List<?>) reply) {
      List<?> fields = (List<?>) g;
      if (UsageStream.GROUP.equals(field(fields, "name"))) {
        return new Group((Long) field(fields, "pending"), (String) field(fields, "last-delivered-id"));
      }
    }
    return null;
  }

  private static Object field(List<?> flat, String name) {
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      if (name.equals(flat.get(i))) {
        return flat.get(i + 1);
      }
    }
    throw new IllegalStateException("No field " + name + " in " + flat);
  }

  /**
   * @param args a command and its arguments
   * @return the reply: a String, a Long, a List of replies, or null
   * @throws IllegalStateException when Redis answers with an error
   */
  synchronized Object call(String... args) {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      command.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    try {
      out.write(command.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read();
    } catch (IOException e) {
      throw new UncheckedIOException("Redis did not answer " + args[0], e);
    }
  }

  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IllegalStateException("Redis: " + line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          yield null;
        }
        byte[] data = in.readNBytes(length + 2);
        yield new String(data, 0, length, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        if (count < 0) {
          yield null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        yield items;
      }
      case -1 -> throw new EOFException("Redis closed the connection");
      default -> throw new IOException("Unexpected RESP type '" + (char) type + "'");
    };
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new EOFException("Redis closed the connection");
      }
      sb.append((char) c);
    }
    in.read(); // '\n'
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
