package io.framekeep.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One PutMedia upload of an MKV file's header and clusters (each cluster one HTTP chunk, sent from the file
 * with transferTo), optionally paced at one cluster per {@code paceMs}, while a reader thread timestamps
 * every PERSISTED ack. The k-th PERSISTED ack of a session is the k-th cluster: one stream persists in order.
 */
final class Uploader {
  /** Nanosecond timestamps: after each cluster's last byte was written, and when its PERSISTED ack arrived. */
  final long[] sentNs;
  final long[] persistedNs;
  private final MkvClusters mkv;
  private final int clusters;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile int persisted;
  private volatile String error;

  Uploader(MkvClusters mkv, int clusters) {
    this.mkv = mkv;
    this.clusters = clusters;
    this.sentNs = new long[clusters];
    this.persistedNs = new long[clusters];
  }

  /** PERSISTED acks received so far. */
  int persistedCount() {
    return persisted;
  }

  /** Runs the upload on the calling thread; returns when every ack has arrived or the response ended. */
  void run(int port, String stream, long producerStartMs, long paceMs) throws IOException, InterruptedException {
    try (SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        FileChannel file = FileChannel.open(mkv.file(), StandardOpenOption.READ)) {
      socket.socket().setTcpNoDelay(true);
      Thread reader = new Thread(() -> readAcks(socket), "acks-" + stream);
      reader.setDaemon(true);
      reader.start();
      write(socket, "POST /putMedia HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
          + "x-amzn-stream-name: " + stream + "\r\nx-amzn-fragment-timecode-type: RELATIVE\r\n"
          + String.format(Locale.ROOT, "x-amzn-producer-start-timestamp: %d.%03d\r\n\r\n",
              producerStartMs / 1000, producerStartMs % 1000));
      chunk(socket, file, 0, mkv.headerBytes());
      long t0 = System.nanoTime();
      for (int i = 0; i < clusters; i++) {
        if (paceMs > 0) {
          long due = t0 + TimeUnit.MILLISECONDS.toNanos(paceMs * i);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        chunk(socket, file, mkv.offsets()[i], mkv.lengths()[i]);
        sentNs[i] = System.nanoTime();
      }
      write(socket, "0\r\n\r\n");
      if (!done.await(120, TimeUnit.SECONDS)) {
        throw new IOException(stream + ": acks did not end");
      }
    }
    if (error != null) {
      throw new IOException(stream + ": " + error);
    }
    if (persisted != clusters) {
      throw new IOException(stream + ": " + persisted + " of " + clusters + " fragments PERSISTED");
    }
  }

  private static void chunk(SocketChannel socket, FileChannel file, long offset, long length) throws IOException {
    write(socket, Long.toHexString(length) + "\r\n");
    long sent = 0;
    while (sent < length) {
      sent += file.transferTo(offset + sent, length - sent, socket);
    }
    write(socket, "\r\n");
  }

  private static void write(SocketChannel socket, String text) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    while (b.hasRemaining()) {
      socket.write(b);
    }
  }

  private void readAcks(SocketChannel socket) {
    try {
      InputStream in = new BufferedInputStream(socket.socket().getInputStream());
      String status = line(in);
      if (!status.contains(" 200 ")) {
        error = status;
        return;
      }
      while (!line(in).isEmpty()) {
        // headers
      }
      ByteArrayOutputStream pending = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(line(in).trim(), 16);
        if (size == 0) {
          return;
        }
        byte[] data = in.readNBytes(size);
        line(in);
        for (byte b : data) {
          if (b != '\n') {
            pending.write(b);
            continue;
          }
          String ack = pending.toString(StandardCharsets.UTF_8);
          pending.reset();
          if (ack.contains("\"PERSISTED\"")) {
            persistedNs[persisted] = System.nanoTime();
            persisted++;
          } else if (ack.contains("\"ERROR\"")) {
            error = ack;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      error = e.toString();
    } finally {
      done.countDown();
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      b.write(c);
    }
    String s = b.toString(StandardCharsets.US_ASCII);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
