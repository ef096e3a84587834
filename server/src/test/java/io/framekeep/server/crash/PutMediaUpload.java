package io.framekeep.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A PutMedia upload without signatures (for servers run with no auth): one HTTP/1.1 POST with a
 * chunked body, written cluster by cluster with an optional pause between clusters, while a
 * second thread reads the chunked ack stream and hands every ack to a listener as it arrives.
 */
public final class PutMediaUpload implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A status, header or chunk-size line longer than this is not from our server. */
  private static final int MAX_LINE_BYTES = 16 * 1024;

  /** One parsed ack line. */
  public record Ack(String eventType, long fragmentTimecode, String fragmentNumber, int errorId) {}

  private final Socket socket;
  private final Thread reader;
  private final List<Ack> acks = new ArrayList<>();
  private volatile int status;
  /** Set when the response's last (zero-length) chunk was read. */
  private volatile boolean endedCleanly;

  private PutMediaUpload(Socket socket, Consumer<Ack> listener) {
    this.socket = socket;
    this.reader = new Thread(() -> readAcks(listener), "putmedia-acks");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Sends the whole MKV ({@code mkv.header()} then each cluster, pausing {@code pauseMs} after
   * each) to {@code stream}, with RELATIVE timecodes from {@code producerStartMs}. Returns once
   * the body is written; acks keep arriving through {@code listener}.
   */
  public static PutMediaUpload send(int port, String stream, TestMkv mkv, long producerStartMs,
      long pauseMs, Consumer<Ack> listener) throws IOException, InterruptedException {
    PutMediaUpload upload = open(port, stream, mkv, producerStartMs, listener);
    for (byte[] cluster : mkv.clusters()) {
      upload.chunk(cluster);
      if (pauseMs > 0) {
        Thread.sleep(pauseMs);
      }
    }
    upload.endBody();
    return upload;
  }

  /**
   * Starts the upload: the request head and {@code mkv.header()}; the caller sends the clusters
   * (or parts of them) with {@link #chunk} and ends the body with {@link #endBody}.
   */
  public static PutMediaUpload open(int port, String stream, TestMkv mkv, long producerStartMs,
      Consumer<Ack> listener) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setTcpNoDelay(true);
    PutMediaUpload upload = new PutMediaUpload(socket, listener);
    OutputStream out = socket.getOutputStream();
    String head = "POST /putMedia HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
        + "Transfer-Encoding: chunked\r\nx-amzn-stream-name: " + stream + "\r\n"
        + "x-amzn-fragment-timecode-type: RELATIVE\r\n"
        + "x-amzn-fragment-acknowledgment-required: 1\r\n"
        + String.format(Locale.ROOT, "x-amzn-producer-start-timestamp: %d.%03d\r\n",
            producerStartMs / 1000, producerStartMs % 1000)
        + "\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    chunk(out, mkv.header());
    return upload;
  }

  /** Sends {@code bytes} as one chunk of the body. */
  public void chunk(byte[] bytes) throws IOException {
    chunk(socket.getOutputStream(), bytes);
  }

  /** Ends the body (the zero-length chunk). */
  public void endBody() throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void chunk(OutputStream out, byte[] bytes) throws IOException {
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Waits for the response to end (or the connection to fail) and returns every ack. */
  public List<Ack> awaitAcks(long timeoutMs) throws InterruptedException {
    reader.join(timeoutMs);
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }

  /** Whether the response ended with its last chunk (false: not yet, or the connection failed). */
  public boolean endedCleanly() {
    return endedCleanly;
  }

  /** Whether the ack stream has ended (cleanly or not). */
  public boolean ended() {
    return !reader.isAlive();
  }

  /** The HTTP status, 0 before the status line. */
  public int status() {
    return status;
  }

  private void readAcks(Consumer<Ack> listener) {
    try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
      String statusLine = line(in);
      status = Integer.parseInt(statusLine.split(" ")[1]);
      boolean chunked = false;
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        chunked |= h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding: chunked");
      }
      if (!chunked) {
        return;
      }
      ByteArrayOutputStream pending = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(line(in).trim(), 16);
        if (size == 0) {
          endedCleanly = true;
          return;
        }
        byte[] data = in.readNBytes(size);
        line(in);
        for (byte b : data) {
          if (b == '\n') {
            Ack ack = parse(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            if (ack != null) {
              synchronized (acks) {
                acks.add(ack);
              }
              listener.accept(ack);
            }
          } else {
            pending.write(b);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The server went away (killed) or the connection was closed: the acks so far stand.
    }
  }

  private static Ack parse(String text) throws IOException {
    if (text.isBlank()) {
      return null;
    }
    JsonNode n = JSON.readTree(text);
    return new Ack(n.path("EventType").asText(), n.path("FragmentTimecode").asLong(-1),
        n.path("FragmentNumber").asText(null), n.path("ErrorId").asInt(0));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (b.size() > MAX_LINE_BYTES) {
        throw new IOException("line too long");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.US_ASCII);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
