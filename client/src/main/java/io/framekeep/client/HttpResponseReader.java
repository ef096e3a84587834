package io.framekeep.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an HTTP/1.1 response from a socket stream: status line, headers, then a body framed by
 * {@code Transfer-Encoding: chunked}, {@code Content-Length} or the end of the connection. Used by
 * PutMedia, whose acks arrive while the request body is still being written (the JDK's HttpClient
 * hands over a response only after the whole request was sent).
 *
 * <p>Every line is bounded by {@link #MAX_LINE_BYTES}; a chunk size is checked before use. Not
 * thread-safe: one reader thread.
 */
final class HttpResponseReader {
  /** Longest status, header, chunk-size or body line accepted: acks are ~150 bytes. */
  static final int MAX_LINE_BYTES = 64 * 1024;
  /** More header lines than this means the peer is not an HTTP server we can talk to. */
  static final int MAX_HEADERS = 200;

  /** Status code and lower-cased header names of one response head. */
  record Head(int status, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final InputStream in;
  private long chunkRemaining;
  private boolean chunked;
  private long lengthRemaining = -1;
  private boolean bodyDone;

  HttpResponseReader(InputStream in) {
    this.in = in;
  }

  /** Reads one response head (a 1xx interim answer included). */
  Head readHead() throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) {
      throw new EOFException("connection closed before a response");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("bad HTTP status: " + statusLine, e);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; ; i++) {
      if (i > MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " response headers");
      }
      String line = readLine(in);
      if (line == null) {
        throw new EOFException("connection closed inside the response headers");
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    Head head = new Head(status, headers);
    chunked = "chunked".equalsIgnoreCase(head.header("transfer-encoding"));
    String length = head.header("content-length");
    lengthRemaining = -1;
    if (!chunked && length != null) {
      try {
        lengthRemaining = Long.parseLong(length);
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + length, e);
      }
    }
    chunkRemaining = 0;
    bodyDone = status / 100 == 1 || status == 204 || lengthRemaining == 0;
    return head;
  }

  /** One body line without its line end, or null at the end of the body. */
  String readBodyLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    while (true) {
      int b = readBodyByte();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8).stripTrailing();
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new IOException("response line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
  }

  /** The rest of the body as text (an error response), at most {@code maxBytes}. */
  String readBodyText(int maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while (out.size() < maxBytes && (b = readBodyByte()) >= 0) {
      out.write(b);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private int readBodyByte() throws IOException {
    if (bodyDone) {
      return -1;
    }
    if (chunked) {
      if (chunkRemaining == 0) {
        String sizeLine = readLine(in);
        if (sizeLine == null) {
          bodyDone = true;
          return -1;
        }
        int semi = sizeLine.indexOf(';');
        String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
        if (hex.isEmpty() || hex.length() > 15) {
          throw new IOException("bad chunk size line: " + sizeLine);
        }
        try {
          chunkRemaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size line: " + sizeLine, e);
        }
        if (chunkRemaining == 0) {
          // Trailer section: lines up to the empty one.
          String trailer;
          while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
            // Trailers carry nothing PutMedia uses.
          }
          bodyDone = true;
          return -1;
        }
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a chunk");
      }
      if (--chunkRemaining == 0 && readLine(in) == null) {
        bodyDone = true;
      }
      return b;
    }
    if (lengthRemaining == 0) {
      bodyDone = true;
      return -1;
    }
    int b = in.read();
    if (b < 0) {
      bodyDone = true;
      return -1;
    }
    if (lengthRemaining > 0) {
      lengthRemaining--;
    }
    return b;
  }

  /** A CRLF- (or LF-) terminated line of the head, or null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new IOException("HTTP line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
