package dev.infermint.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Small checks on local TCP ports. */
public final class Ports {

  private Ports() {
  }

  /**
   * @param port a TCP port
   * @return whether something already listens on it on the loopback interface or all interfaces
   */
  public static boolean inUse(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
      return true;
    } catch (IOException e) {
      // nothing answered on loopback: try binding, which also catches listeners on other addresses
    }
    try (ServerSocket ss = new ServerSocket()) {
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** @return a port that was free a moment ago */
  public static int free() {
    try (ServerSocket ss = new ServerSocket(0)) {
      ss.setReuseAddress(true);
      return ss.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free port", e);
    }
  }
}
