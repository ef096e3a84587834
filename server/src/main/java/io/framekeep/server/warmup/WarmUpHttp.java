package io.framekeep.server.warmup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection from the warm-up to its scratch server on loopback: requests
 * with a Content-Length body, PutMedia with a chunked body, and responses read whole (by
 * Content-Length or chunked) or, for GetMedia's endless body, up to a byte count. Deliberately
 * minimal: it talks only to a Framekeep server it started itself. Not thread-safe (one per
 * warm-up thread).
 */
final class WarmUpHttp implements AutoCloseable {
  /** No exchange with the scratch server takes this long unless something is broken. */
  private static final int READ_TIMEOUT_MS = 30_000;
  /** Longest status or header line accepted from the scratch server. */
  private static final int MAX_LINE_BYTES = 16 * 1024;

  /** A response's status and body (the part read, for {@link #sendAndReadPrefix}). */
  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final int port;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  WarmUpHttp(int port) throws IOException {
    this.port = port;
    this.socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
  }

  /** Sends a request with {@code body} (empty for a GET) and reads the whole response. */
  Response send(String method, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    writeHead(method, target, headers, "Content-Length: " + body.length);
    out.write(body);
    out.flush();
    return readResponse(Long.MAX_VALUE);
  }

  /**
   * Sends a request and reads at most about {@code maxBodyBytes} of its body; the connection is
   * not reusable afterwards when the body was longer (close it).
   */
  Response sendAndReadPrefix(String method, String target, Map<String, String> headers,
      byte[] body, long maxBodyBytes) throws IOException {
    writeHead(method, target, headers, "Content-Length: " + body.length);
    out.write(body);
    out.flush();
    return readResponse(maxBodyBytes);
  }

  /** Sends {@code body} as HTTP chunks of {@code pieceBytes}, as producers do, and reads the acks. */
  Response sendChunked(String method, String target, Map<String, String> headers, byte[] body,
      int pieceBytes) throws IOException {
    writeHead(method, target, headers, "Transfer-Encoding: chunked");
    for (int at = 0; at < body.length; at += pieceBytes) {
      int n = Math.min(pieceBytes, body.length - at);
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, n);
      out.write('\r');
      out.write('\n');
      out.flush();
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return readResponse(Long.MAX_VALUE);
  }

  private void writeHead(String method, String target, Map<String, String> headers,
      String framing) throws IOException {
    StringBuilder head = new StringBuilder(method).append(' ').append(target)
        .append(" HTTP/1.1\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append(framing).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The Host header value requests must carry (and sign). */
  String host() {
    return "127.0.0.1:" + port;
  }

  private Response readResponse(long maxBodyBytes) throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> headers = new HashMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            h.substring(colon + 1).trim());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      readChunked(body, maxBodyBytes);
    } else if (headers.containsKey("content-length")) {
      long length = Long.parseLong(headers.get("content-length"));
      copy(body, Math.min(length, maxBodyBytes));
    } else {
      copy(body, maxBodyBytes);
    }
    return new Response(code, body.toByteArray());
  }

  private void readChunked(ByteArrayOutputStream body, long maxBodyBytes) throws IOException {
    while (body.size() < maxBodyBytes) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      long size = Long.parseLong(
          (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return;
      }
      copy(body, size);
      line();
    }
  }

  private void copy(ByteArrayOutputStream body, long bytes) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long left = bytes;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        if (bytes == Long.MAX_VALUE) {
          return;
        }
        throw new IOException("response ended early");
      }
      body.write(buffer, 0, n);
      left -= n;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed by the scratch server");
      }
      if (b.size() >= MAX_LINE_BYTES) {
        throw new IOException("response line too long");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
