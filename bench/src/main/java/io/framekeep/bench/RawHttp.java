package io.framekeep.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Minimal HTTP/1.1 POST over a plain socket that times the first response byte and reads the body into one
 * reusable buffer, so the client adds as little as possible to what is measured.
 */
final class RawHttp {
  /** 1 MiB: large reads keep the client's per-call overhead negligible at GB/s. */
  private static final int READ_BUFFER_BYTES = 1 << 20;

  /** Status, body size, time to first byte and total time of one exchange. */
  record Result(int status, long bodyBytes, double ttfbMs, double totalMs, String bodyPrefix) {
    double mbPerSecond() {
      return bodyBytes / 1e6 / (totalMs / 1000.0);
    }
  }

  private RawHttp() {}

  static Result post(int port, String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[READ_BUFFER_BYTES];
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port));
      s.setReceiveBufferSize(4 << 20);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      long t0 = System.nanoTime();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      int n = in.read(buffer);
      double ttfbMs = (System.nanoTime() - t0) / 1e6;
      if (n <= 0) {
        throw new IOException("no response");
      }
      int headerEnd = indexOf(buffer, n);
      while (headerEnd < 0) {
        int more = in.read(buffer, n, buffer.length - n);
        if (more < 0) {
          throw new IOException("response ends in its headers");
        }
        n += more;
        headerEnd = indexOf(buffer, n);
      }
      String head = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      long length = contentLength(head);
      long got = n - headerEnd - 4;
      String prefix = new String(buffer, headerEnd + 4, (int) Math.min(got, 200), StandardCharsets.ISO_8859_1);
      while (length < 0 || got < length) {
        int r = in.read(buffer);
        if (r < 0) {
          break;
        }
        got += r;
      }
      double totalMs = (System.nanoTime() - t0) / 1e6;
      return new Result(status, got, ttfbMs, totalMs, prefix);
    }
  }

  static String range(String type, long startMs, long endMs) {
    return String.format(Locale.ROOT, "{\"FragmentSelectorType\":\"%s\",\"TimestampRange\":"
        + "{\"StartTimestamp\":%d.%03d,\"EndTimestamp\":%d.%03d}}", type, startMs / 1000, startMs % 1000,
        endMs / 1000, endMs % 1000);
  }

  static String clipBody(String stream, long startMs, long endMs) {
    return "{\"StreamName\":\"" + stream + "\",\"ClipFragmentSelector\":"
        + range("PRODUCER_TIMESTAMP", startMs, endMs) + "}";
  }

  static Result getClip(int port, String stream, long startMs, long endMs) throws IOException {
    return post(port, "/getClip", clipBody(stream, startMs, endMs));
  }

  static void createStream(int port, String name) throws IOException {
    Result r = post(port, "/createStream", "{\"StreamName\":\"" + name + "\",\"DataRetentionInHours\":8760}");
    if (r.status() != 200) {
      throw new IOException("createStream " + name + ": " + r.status() + " " + r.bodyPrefix());
    }
  }

  private static int indexOf(byte[] b, int n) {
    for (int i = 0; i + 3 < n; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return -1;
  }
}
