package io.framekeep.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One plain TCP connection speaking HTTP/1.1 byte by byte, for tests about what goes on the wire:
 * requests are written exactly as given (several at once for pipelining), responses are read one
 * at a time (Content-Length or chunked bodies, interim 1xx responses returned like any other), and
 * {@link #awaitClosed} tells whether the server ended the connection. Not thread-safe.
 */
final class RawHttp implements AutoCloseable {
  /** Longest a test waits for any one read. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** A response as read from the wire; header names lower-cased. */
  record Response(String statusLine, int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(URI base) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A request with a JSON body, as text with CRLF line ends. */
  static String jsonPost(String path, String host, String json, String... extraHeaders) {
    StringBuilder sb = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n");
    for (String h : extraHeaders) {
      sb.append(h).append("\r\n");
    }
    return sb.append("\r\n").append(json).toString();
  }

  /** A GET with no body. */
  static String get(String pathAndQuery, String host, String... extraHeaders) {
    StringBuilder sb = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host
        + "\r\n");
    for (String h : extraHeaders) {
      sb.append(h).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads the next response: its head, then its whole body (to the last chunk). */
  Response read() throws IOException {
    Response head = readHead();
    if (head.status() / 100 == 1) {
      return head;
    }
    byte[] body;
    String length = head.header("content-length");
    if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
      body = readChunked();
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.trim()));
    } else {
      body = new byte[0];
    }
    return new Response(head.statusLine(), head.status(), head.headers(), body);
  }

  /** Reads only a response head (status line and headers). */
  Response readHead() throws IOException {
    String statusLine = readLine();
    if (statusLine == null) {
      throw new IOException("the server closed the connection before a response");
    }
    Map<String, String> headers = new TreeMap<>();
    for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return new Response(statusLine, Integer.parseInt(statusLine.split(" ")[1]), headers,
        new byte[0]);
  }

  /** The rest of a chunked body whose head {@link #readHead} returned. */
  byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      if (sizeLine == null) {
        throw new IOException("connection closed inside a chunked body");
      }
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt(
          (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  /**
   * Whether the server closes the connection within {@code timeout} (end of stream or reset),
   * with no further byte sent; false if it is still open then.
   */
  boolean awaitClosed(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    try {
      int b = in.read();
      if (b >= 0) {
        throw new IOException("unexpected byte " + b + " instead of the end of the connection");
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    } finally {
      socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
            : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
