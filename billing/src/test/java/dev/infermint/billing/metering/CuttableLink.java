package dev.infermint.billing.metering;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link on a fixed local port to a real server, that a test can cut (the port refuses connections, open ones
 * are reset: the server looks down) and restore. Stands for a network outage without stopping a server that other
 * modules' tests share.
 */
final class CuttableLink implements AutoCloseable {

  private final int port;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private ServerSocket server;

  /**
   * @param port the local port to listen on
   * @param upstreamHost the server's host
   * @param upstreamPort the server's port
   */
  CuttableLink(int port, String upstreamHost, int upstreamPort) {
    this.port = port;
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
  }

  /** @return a free local port, to give a link before it is first opened */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts accepting connections and relaying them to the server. */
  synchronized void restore() {
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerSocket listening = server;
    Thread accept = new Thread(() -> {
      while (!listening.isClosed()) {
        try {
          Socket client = listening.accept();
          Socket upstream = new Socket(upstreamHost, upstreamPort);
          sockets.add(client);
          sockets.add(upstream);
          pump(client, upstream);
          pump(upstream, client);
        } catch (IOException e) {
          // closed by cut()
        }
      }
    }, "link-accept-" + port);
    accept.setDaemon(true);
    accept.start();
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "link-pump-" + port);
    t.setDaemon(true);
    t.start();
  }

  /** Refuses new connections and resets the open ones. */
  synchronized void cut() {
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
    sockets.forEach(CuttableLink::closeQuietly);
    sockets.clear();
  }

  @Override
  public void close() {
    cut();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }
}
