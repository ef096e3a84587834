package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.http.ConnectionLimits;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections that stall are closed after their timeout, connections over the cap are refused at
 * once while established ones keep being served, and a JSON body is not buffered before the
 * signature in its head has been checked. Short timeouts stand for the defaults here; signatures
 * are checked.
 */
class ConnectionLimitsTest {
  private static final long TIMEOUT_MS = 1_000;
  private static final int IDLE_CONNECTIONS = 2_000;
  private static final int SMALL_CAP = 20;
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withConnections(ConnectionLimits.defaults()
          .withTimeouts(TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS)
          .withMaxConnections(IDLE_CONNECTIONS + 100)));
  @RegisterExtension static final InProcessServer CAPPED = InProcessServer.configured(c -> c
      .withConnections(ConnectionLimits.defaults().withMaxConnections(SMALL_CAP)));
  /** Well past a 1 s timeout, allowing for a loaded machine. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final int ONE_MIB = 1024 * 1024;

  private static URI base(InProcessServer server) {
    return URI.create(server.baseUrl());
  }

  private static String host(InProcessServer server) {
    return base(server).getHost() + ":" + base(server).getPort();
  }

  @Test
  void idleConnections_2000_allClosedAfterTimeout() throws Exception {
    long maxFiles = ((com.sun.management.UnixOperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getMaxFileDescriptorCount();
    assertThat(maxFiles).as("open files allowed (both ends of each connection live in this"
        + " JVM): raise ulimit -n, as .ci/run does").isGreaterThan(2L * IDLE_CONNECTIONS + 1_000);
    List<RawHttp> connections = new ArrayList<>();
    try {
      for (int i = 0; i < IDLE_CONNECTIONS; i++) {
        connections.add(new RawHttp(base(SERVER)));
      }
      long start = System.nanoTime();
      for (RawHttp c : connections) {
        long leftMs = CLOSE_WAIT.toMillis() - (System.nanoTime() - start) / 1_000_000;
        assertThat(c.awaitClosed(Duration.ofMillis(Math.max(1, leftMs)))).isTrue();
      }
    } finally {
      for (RawHttp c : connections) {
        c.close();
      }
    }
  }

  @Test
  void keptAliveConnection_idleAfterAnswer_closedAfterTimeout() throws Exception {
    try (RawHttp c = new RawHttp(base(SERVER))) {
      c.write(RawHttp.get("/health", host(SERVER)));
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.awaitClosed(Duration.ofMillis(TIMEOUT_MS / 2))).as("open at first").isFalse();
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
    }
  }

  @Test
  void stalledHead_halfSent_closed() throws Exception {
    try (RawHttp c = new RawHttp(base(SERVER))) {
      long start = System.nanoTime();
      c.write("POST /listStreams HTTP/1.1\r\nHost: " + host(SERVER) + "\r\n");
      // Dripping more header bytes does not extend the head's deadline. On a loaded machine a
      // sleep may overrun the deadline itself: a drip refused then is the close this test awaits,
      // and it must not have come before the deadline.
      for (int i = 0; i < 4; i++) {
        Thread.sleep(TIMEOUT_MS / 4);
        try {
          c.write("X-Drip-" + i + ": 1\r\n");
        } catch (java.io.IOException closed) {
          assertThat(Duration.ofNanos(System.nanoTime() - start))
              .isGreaterThanOrEqualTo(Duration.ofMillis(TIMEOUT_MS));
          break;
        }
      }
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CLOSE_WAIT);
    }
  }

  @Test
  void silentJsonBody_closed() throws Exception {
    try (RawHttp c = new RawHttp(base(SERVER))) {
      // Signed with a valid key so that the head alone does not settle it; the body stalls.
      c.write(signedHead("/listStreams", 100, false));
      c.write("{\"MaxRes");
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
    }
  }

  @Test
  void unsignedOneMiBBody_refusedFromHead_bodyNeverRead() throws Exception {
    try (RawHttp c = new RawHttp(base(SERVER))) {
      c.write("POST /listStreams HTTP/1.1\r\nHost: " + host(SERVER) + "\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + ONE_MIB + "\r\n\r\n{");

      RawHttp.Response response = c.read();

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("x-amzn-ErrorType"))
          .startsWith("MissingAuthenticationTokenException");
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
    }
  }

  @Test
  void unknownKeyOneMiBBody_refusedFromHead() throws Exception {
    try (RawHttp c = new RawHttp(base(SERVER))) {
      c.write(signedHead("/listStreams", ONE_MIB, true) + "{");

      RawHttp.Response response = c.read();

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.header("x-amzn-ErrorType")).startsWith("UnrecognizedClientException");
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
    }
  }

  @Test
  void validKeyBadSignature_bodyOverUnauthenticatedLimit_refusedFromHead() throws Exception {
    try (RawHttp c = new RawHttp(base(SERVER))) {
      int length = ConnectionLimits.DEFAULT_MAX_UNAUTHENTICATED_JSON_BODY_BYTES + 1;
      c.write(signedHead("/listStreams", length, false) + "{");

      RawHttp.Response response = c.read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.bodyText()).contains("before a request on this connection is"
          + " authenticated");
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
    }
  }

  /**
   * A head with an Authorization header of the server's key (or an unknown one) and a current
   * date; its signature is not valid for any body.
   */
  private static String signedHead(String path, int contentLength, boolean unknownKey) {
    String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
    String key = unknownKey ? "AKIDUNKNOWN" : InProcessServer.ACCESS_KEY_ID;
    return "POST " + path + " HTTP/1.1\r\nHost: " + host(SERVER) + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n"
        + "X-Amz-Date: " + amzDate + "\r\n"
        + "Authorization: AWS4-HMAC-SHA256 Credential=" + key + "/" + amzDate.substring(0, 8)
        + "/us-east-1/kinesisvideo/aws4_request, SignedHeaders=host;x-amz-date, Signature="
        + "0".repeat(64) + "\r\n\r\n";
  }

  /**
   * The producer SDK signs PutMedia with a {@code Host} header without the port; the head is
   * checked as it came, and the one-exchange-at-a-time and timeout handlers let the upload through
   * even though its body outlasts the short timeouts here.
   */
  @Test
  void putMedia_signedHostWithoutPort_persistedAndConnectionKept() throws Exception {
    SERVER.kinesisVideo().createStream(r -> r.streamName("no-port").dataRetentionInHours(24));
    byte[] media = TestMedia.h264AacBytes();
    long ms = java.time.Instant.now().toEpochMilli();
    software.amazon.awssdk.http.SdkHttpRequest signed = ProducerSigV4.sign(
        software.amazon.awssdk.http.SdkHttpRequest.builder()
            .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
            .uri(base(SERVER).resolve("/putMedia"))
            .putHeader("Host", base(SERVER).getHost())
            .putHeader("Content-Length", String.valueOf(media.length))
            .putHeader("x-amzn-stream-name", "no-port")
            .putHeader("x-amzn-fragment-timecode-type", "RELATIVE")
            .putHeader("x-amzn-fragment-acknowledgment-required", "1")
            .putHeader("x-amzn-producer-start-timestamp",
                String.format(java.util.Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000))
            .build(),
        InProcessServer.credentials(), "us-east-1", "kinesisvideo", java.time.Instant.now(),
        ProducerSigV4.EMPTY_STRING_SHA256);
    StringBuilder head = new StringBuilder("POST /putMedia HTTP/1.1\r\n");
    signed.forEachHeader((name, values) -> values.forEach(v ->
        head.append(name).append(": ").append(v).append("\r\n")));
    try (RawHttp c = new RawHttp(base(SERVER))) {
      c.write(head.append("\r\n").toString());
      for (int at = 0; at < media.length; at += 64 * 1024) {
        c.write(java.util.Arrays.copyOfRange(media, at, Math.min(media.length, at + 64 * 1024)));
      }
      RawHttp.Response response = c.read();

      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      assertThat(response.bodyText()).contains("\"PERSISTED\"").doesNotContain("\"ERROR\"");
      c.write(RawHttp.get("/health", base(SERVER).getHost()));
      assertThat(c.read().bodyText()).isEqualTo("ok\n");
    }
  }

  @Test
  void overCap_newConnectionRefused_establishedStillServed() throws Exception {
    List<RawHttp> established = new ArrayList<>();
    try {
      for (int i = 0; i < SMALL_CAP; i++) {
        RawHttp c = new RawHttp(base(CAPPED));
        c.write(RawHttp.get("/health", host(CAPPED)));
        assertThat(c.read().status()).isEqualTo(200);
        established.add(c);
      }
      try (RawHttp over = new RawHttp(base(CAPPED))) {
        assertThat(over.awaitClosed(Duration.ofSeconds(2))).as("refused quickly").isTrue();
      }
      for (RawHttp c : established) {
        c.write(RawHttp.get("/health", host(CAPPED)));
        assertThat(c.read().bodyText()).isEqualTo("ok\n");
      }
      established.remove(0).close();
      RawHttp freed = awaitAccepted(base(CAPPED));
      established.add(freed);
      freed.write(RawHttp.get("/health", host(CAPPED)));
      assertThat(freed.read().status()).isEqualTo(200);
    } finally {
      for (RawHttp c : established) {
        c.close();
      }
    }
  }

  /** A new connection once a slot is free (the server notices a close asynchronously). */
  private static RawHttp awaitAccepted(URI base) throws Exception {
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    while (true) {
      RawHttp c = new RawHttp(base);
      if (!c.awaitClosed(Duration.ofMillis(200)) || System.nanoTime() > deadline) {
        return c;
      }
      c.close();
    }
  }
}
