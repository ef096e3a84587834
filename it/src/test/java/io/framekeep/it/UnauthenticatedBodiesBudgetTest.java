package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.ServiceLimits;
import io.framekeep.server.http.ConnectionLimits;
import io.framekeep.server.memory.JsonBodyBudget;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JSON bodies of connections that have shown no valid signature draw on the server's memory
 * budget, and all of them together on no more than their share of it: many slow clients, each
 * with a key the server knows but a forged signature (so the body must be read to judge it), get
 * their connections paused once the share is held, not their bodies buffered; an authenticated
 * client is served meanwhile, and so is a small unauthenticated request (it arrives in one read);
 * the request-body idle timeout closes the paused connections (a paused connection is not read,
 * so not even its client's close is seen before that) and everything is given back.
 */
class UnauthenticatedBodiesBudgetTest {
  /** Small, so a few connections spend the share: 8 MiB, of which unauthenticated 1 MiB. */
  private static final long BUDGET_BYTES = 8L * 1024 * 1024;
  private static final int CONNECTIONS = 60;
  private static final int BODY_BYTES =
      ConnectionLimits.DEFAULT_MAX_UNAUTHENTICATED_JSON_BODY_BYTES;
  /** Sent of each body: all of them together 12 MiB, twelve times the share. */
  private static final int SENT_BYTES = 200 * 1024;
  private static final int PIECE_BYTES = 8 * 1024;
  /**
   * A connection checks the budget after each socket read, so it may hold one read past the
   * share: Netty reads at most 64 KiB at a time.
   */
  private static final long ONE_READ_BYTES = 64 * 1024;
  private static final Duration SETTLE = Duration.ofSeconds(30);
  /**
   * The request-body idle timeout here, standing for the 30 s default: long enough for the checks
   * made while the connections are paused, on a loaded machine.
   */
  private static final long BODY_IDLE_MS = 8_000;

  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withLimits(ServiceLimits.awsDefaults().withMemoryBudgetBytes(BUDGET_BYTES))
      .withConnections(ConnectionLimits.defaults().withTimeouts(
          ConnectionLimits.DEFAULT_REQUEST_HEAD_TIMEOUT_MS, BODY_IDLE_MS,
          ConnectionLimits.DEFAULT_KEEP_ALIVE_IDLE_TIMEOUT_MS)));

  @Test
  void slowForgedSignatureBodies_manyConnections_shareHeldConnectionsPausedAuthenticatedServed()
      throws Exception {
    JsonBodyBudget bodies = SERVER.server().jsonBodyBudget();
    long share = bodies.unauthenticatedLimitBytes();
    assertThat(share).isEqualTo(BUDGET_BYTES / 8);
    URI base = URI.create(SERVER.baseUrl());
    List<RawHttp> connections = new ArrayList<>();
    ExecutorService writers = Executors.newFixedThreadPool(CONNECTIONS);
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        RawHttp c = new RawHttp(base);
        connections.add(c);
        c.write(forgedHead(base, BODY_BYTES));
        writers.execute(() -> sendSlowly(c, SENT_BYTES));
      }
      long held = awaitSteady(() -> SERVER.server().memoryBudget().usedBytes());

      assertThat(held).as("held by unauthenticated bodies").isEqualTo(
          bodies.unauthenticatedUsedBytes());
      assertThat(held).as("the share is spent").isGreaterThanOrEqualTo(share);
      assertThat(held).as("paused at the share, one read each at most past it")
          .isLessThanOrEqualTo(share + CONNECTIONS * ONE_READ_BYTES)
          .isLessThan((long) CONNECTIONS * SENT_BYTES);
      assertThat(SERVER.kinesisVideo().listStreams(r -> r.maxResults(10)).sdkHttpResponse()
          .statusCode()).as("authenticated while the share is spent").isEqualTo(200);

      try (RawHttp late = new RawHttp(base)) {
        late.write(forgedHead(base, 1_024) + " ".repeat(1_024));
        RawHttp.Response answer = late.read();
        assertThat(answer.status()).as("a small body while the share is spent").isEqualTo(403);
        assertThat(answer.header("x-amzn-ErrorType")).startsWith("InvalidSignatureException");
      }

      for (RawHttp c : connections) {
        assertThat(c.awaitClosed(SETTLE)).as("paused connection closed by the body timeout")
            .isTrue();
      }
      assertThat(awaitSteady(() -> SERVER.server().memoryBudget().usedBytes()))
          .as("everything given back").isZero();
    } finally {
      for (RawHttp c : connections) {
        c.close();
      }
      writers.shutdownNow();
      writers.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** Writes {@code bytes} of spaces in pieces, a little at a time; stops if the server closes. */
  private static void sendSlowly(RawHttp c, int bytes) {
    byte[] piece = new byte[PIECE_BYTES];
    Arrays.fill(piece, (byte) ' ');
    try {
      for (int sent = 0; sent < bytes; sent += PIECE_BYTES) {
        c.write(Arrays.copyOf(piece, Math.min(PIECE_BYTES, bytes - sent)));
        Thread.sleep(5);
      }
    } catch (Exception e) {
      // closed: the test judges what the server holds, not the client's writes
    }
  }

  /** Waits until {@code value} has stayed the same for a second (or {@link #SETTLE} passes). */
  private static long awaitSteady(java.util.function.LongSupplier value)
      throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    long last = value.getAsLong();
    int sameFor = 0;
    while (System.nanoTime() < deadline && sameFor < 10) {
      Thread.sleep(100);
      long now = value.getAsLong();
      sameFor = now == last ? sameFor + 1 : 0;
      last = now;
    }
    return last;
  }

  /**
   * A head with the server's key and a current date, whose signature is not valid for any body,
   * and no x-amz-content-sha256: only the body's hash can show it is forged.
   */
  private static String forgedHead(URI base, int contentLength) {
    String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC).format(Instant.now());
    return "POST /listStreams HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n"
        + "X-Amz-Date: " + amzDate + "\r\n"
        + "Authorization: AWS4-HMAC-SHA256 Credential=" + InProcessServer.ACCESS_KEY_ID + "/"
        + amzDate.substring(0, 8) + "/us-east-1/kinesisvideo/aws4_request,"
        + " SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64) + "\r\n\r\n";
  }
}
