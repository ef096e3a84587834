package io.framekeep.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code GET /health} to the server's own plain-HTTP listener before the server is announced:
 * the first connection loads and links the whole pipeline (HTTP codec, handlers, router), which on a
 * busy machine took hundreds of milliseconds, so the first probe of a load balancer would otherwise
 * pay for it. Best effort: a failure is logged and the server starts anyway.
 */
final class HealthWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(HealthWarmUp.class);
  /** 5 s: far more than the warm-up takes even on a loaded machine; a failure only logs. */
  static final int TIMEOUT_MS = 5_000;
  private static final byte[] REQUEST =
      "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1);

  private HealthWarmUp() {}

  /**
   * Asks {@code host:port} (the wildcard addresses mean loopback) and reads the answer to its end,
   * then waits, at most {@link #TIMEOUT_MS}, until {@code openConnections} is back to zero, so the
   * warm-up's connection never counts against {@code --max-connections} once the server is
   * announced.
   */
  static void run(String host, int port, IntSupplier openConnections) {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
    InetAddress address;
    try {
      InetAddress given = InetAddress.getByName(host);
      address = given.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : given;
    } catch (IOException e) {
      LOG.debug("health warm-up skipped: {}", e.toString());
      return;
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write(REQUEST);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buffer = new byte[512];
      while (in.read(buffer) >= 0) {
        // the server closes after its answer
      }
    } catch (IOException e) {
      LOG.debug("health warm-up failed (serving is not affected): {}", e.toString());
    }
    while (openConnections.getAsInt() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
