package dev.infermint.gateway.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.restassured.RestAssured;

/**
 * HTTP/1.1 over a plain socket, so that a test sends a path byte for byte: HTTP clients normalise dot segments,
 * slashes and encodings, which is exactly what the gateway must not be fooled by.
 */
final class RawHttp {

  /** The status line's code and the whole answer. */
  record Answer(int status, String text) {
    boolean hasHeader(String name) {
      return text.toLowerCase().contains("\r\n" + name.toLowerCase() + ":");
    }
  }

  private RawHttp() {
  }

  /**
   * @param method the method
   * @param rawPath the request target, sent as is
   * @param key an API key, or null
   * @param body a JSON body, or null
   * @param chunked send the body with chunked transfer encoding
   * @return the answer
   */
  static Answer send(String method, String rawPath, String key, String body, boolean chunked) throws IOException {
    try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
      s.setSoTimeout(10_000);
      StringBuilder head = new StringBuilder(method + " " + rawPath + " HTTP/1.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n");
      if (key != null) {
        head.append("Authorization: Bearer ").append(key).append("\r\n");
      }
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        head.append("Content-Type: application/json\r\n");
        head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bytes.length + "\r\n");
      }
      head.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      if (body != null && chunked) {
        for (int off = 0; off < bytes.length; off += 512) {
          int n = Math.min(512, bytes.length - off);
          out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(bytes, off, n);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        out.write(bytes);
      }
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        in.transferTo(answer);
      } catch (IOException reset) {
        // The gateway may close a connection whose body it refused; what it answered before still counts.
      }
      String text = answer.toString(StandardCharsets.UTF_8);
      int status = text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
      return new Answer(status, text);
    }
  }
}
