package io.framekeep.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Copies one HTTP/1.1 message (start line, headers, body) from a stream to another byte for byte, and says
 * what it was: the start line and the body's length. The body is delimited as RFC 9112 section 6 says:
 * none when the caller says so (a response to HEAD, 1xx, 204, 304), else chunked, else Content-Length, else
 * (responses only) up to the end of the connection.
 */
final class HttpMessageRelay {
  /** 64 KiB copy buffer: large enough that an 8 MiB object moves in few system calls. */
  private static final int BUFFER_BYTES = 64 << 10;
  /** A start or header line longer than this is not HTTP we relay. */
  private static final int MAX_LINE_BYTES = 64 << 10;

  /**
   * One relayed message: its first line, its body length in bytes as sent (without HTTP chunk framing), and
   * the length of the payload it carries: {@code x-amz-decoded-content-length} when the body is aws-chunked
   * (the AWS SDK signs PUT bodies chunk by chunk over plain HTTP, which adds signatures to the body), else
   * the body length.
   */
  record Message(String startLine, long bodyBytes, long payloadBytes) {
    /** The request method of a request's start line. */
    String method() {
      int space = startLine.indexOf(' ');
      return space < 0 ? startLine : startLine.substring(0, space);
    }

    /** The status code of a response's start line. */
    int status() {
      return Integer.parseInt(startLine.substring(9, 12));
    }
  }

  private final InputStream in;
  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER_BYTES];

  HttpMessageRelay(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  /** The start line of the next message, relayed, or null when the stream ends cleanly before one. */
  String startLine() throws IOException {
    return line(true);
  }

  /**
   * Relays the headers and body of the message whose start line {@link #startLine()} returned.
   *
   * @param bodyless true when the message has no body whatever its headers say (responses to HEAD, 1xx, 204,
   *     304)
   * @param untilCloseAllowed true for responses: with neither chunked nor Content-Length the body runs to the
   *     end of the connection
   */
  Message rest(String startLine, boolean bodyless, boolean untilCloseAllowed) throws IOException {
    long contentLength = -1;
    long decodedLength = -1;
    boolean chunked = false;
    for (String header = line(false); !header.isEmpty(); header = line(false)) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        contentLength = Long.parseLong(header.substring(15).trim());
      } else if (lower.startsWith("x-amz-decoded-content-length:")) {
        decodedLength = Long.parseLong(header.substring(29).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    out.flush();
    long body;
    if (bodyless) {
      body = 0;
    } else if (chunked) {
      body = chunkedBody();
    } else if (contentLength >= 0) {
      copy(contentLength);
      body = contentLength;
    } else if (untilCloseAllowed) {
      body = copyToEnd();
    } else {
      body = 0;
    }
    out.flush();
    return new Message(startLine, body, decodedLength >= 0 ? decodedLength : body);
  }

  private long chunkedBody() throws IOException {
    long total = 0;
    while (true) {
      String sizeLine = line(false);
      int semicolon = sizeLine.indexOf(';');
      long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line(false).isEmpty()) {
          // trailer fields
        }
        return total;
      }
      copy(size);
      total += size;
      if (!line(false).isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
  }

  private void copy(long length) throws IOException {
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("stream ended " + left + " bytes before the body's end");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private long copyToEnd() throws IOException {
    long total = 0;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  /** Reads and relays one CRLF-terminated line; returns it without the CRLF (null at a clean end if allowed). */
  private String line(boolean endAllowed) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (endAllowed && text.size() == 0) {
          return null;
        }
        throw new EOFException("stream ended inside a line");
      }
      out.write(c);
      if (c == '\n') {
        break;
      }
      text.write(c);
      if (text.size() > MAX_LINE_BYTES) {
        throw new IOException("line longer than " + MAX_LINE_BYTES + " bytes");
      }
    }
    String s = text.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
