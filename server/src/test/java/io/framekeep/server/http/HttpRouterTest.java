package io.framekeep.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad requests get AWS errors with the right status and type, never a 500. */
class HttpRouterTest {
  @TempDir static Path dir;
  private static FramekeepServer server;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    server = FramekeepServer.start(ServerConfig.defaults(dir).withPort(0).withNoAuth());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String errorType(HttpResponse<?> r) {
    return r.headers().firstValue("x-amzn-ErrorType").orElse("");
  }

  @Test
  void health_get_answers200() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
        URI.create(server.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void health_firstAnswerOnAConnection_saysHowLongTheServerHeldIt() throws Exception {
    URI base = URI.create(server.baseUrl());
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      String ask = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
      s.getOutputStream().write(ask.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String first = readHead(s.getInputStream());
      s.getOutputStream().write(ask.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String second = readHead(s.getInputStream());

      assertThat(first).startsWith("HTTP/1.1 200")
          .containsPattern("(?im)^server-timing: accept;dur=\\d+\\.\\d$");
      assertThat(second).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("server-timing");
    }
  }

  /** The status line and headers of one answer, and its body skipped (Content-Length). */
  private static String readHead(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^content-length: (\\d+)")
        .matcher(head);
    if (m.find()) {
      in.readNBytes(Integer.parseInt(m.group(1)));
    }
    return head.toString().trim();
  }

  @Test
  void unknownPath_post_isUnknownOperation404() throws Exception {
    HttpResponse<String> r = post("/noSuchThing", "{}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(errorType(r)).startsWith("UnknownOperationException");
  }

  @Test
  void malformedJson_describeStream_isClientErrorNot500() throws Exception {
    HttpResponse<String> r = post("/describeStream", "{\"StreamName\": ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorType(r)).isNotEmpty();
    assertThat(r.body()).contains("__type");
  }

  @Test
  void wrongJsonType_createStream_isClientError() throws Exception {
    HttpResponse<String> r = post("/createStream", "{\"StreamName\": [1,2]}");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void oversizedBody_isInvalidArgumentBeforeBuffering() throws Exception {
    String huge = "{\"StreamName\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
    HttpResponse<String> r = post("/describeStream", huge);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorType(r)).isEqualTo("InvalidArgumentException");
  }

  /**
   * A client that writes its whole oversized body before reading still gets the refusal: the
   * server drains what it sends instead of resetting the connection under it.
   */
  @Test
  void oversizedBody_writtenInFullBeforeReading_stillGetsTheRefusal() throws Exception {
    URI base = URI.create(server.baseUrl());
    int bodyBytes = 8 * 1024 * 1024;
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      java.io.OutputStream out = s.getOutputStream();
      out.write(("POST /describeStream HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
          + bodyBytes + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      byte[] piece = new byte[64 * 1024];
      for (int sent = 0; sent < bodyBytes; sent += piece.length) {
        out.write(piece);
      }
      out.flush();
      String head = readHead(s.getInputStream());

      assertThat(head).startsWith("HTTP/1.1 400")
          .containsPattern("(?im)^x-amzn-ErrorType: InvalidArgumentException")
          .containsPattern("(?im)^connection: close");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  /**
   * The linger is bounded: a client that reads the refusal but never stops sending is closed
   * about {@link OneExchangeAtATime#LINGER_MS} after it, not read forever.
   */
  @Test
  void oversizedBody_clientThatNeverStopsSending_isClosedAfterTheLinger() throws Exception {
    URI base = URI.create(server.baseUrl());
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      java.io.OutputStream out = s.getOutputStream();
      out.write(("POST /describeStream HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
          + Long.MAX_VALUE / 2 + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String head = readHead(s.getInputStream());
      long refusedAtNanos = System.nanoTime();
      byte[] piece = new byte[16 * 1024];
      long sentBytes = 0;
      long cutOffNanos = 0;
      while (System.nanoTime() - refusedAtNanos < java.util.concurrent.TimeUnit.SECONDS.toNanos(20)) {
        try {
          out.write(piece);
          sentBytes += piece.length;
        } catch (java.io.IOException closed) {
          cutOffNanos = System.nanoTime() - refusedAtNanos;
          break;
        }
      }

      assertThat(head).startsWith("HTTP/1.1 400").containsPattern("(?im)^connection: close");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(sentBytes).as("bytes sent and drained during the linger").isPositive();
      assertThat(cutOffNanos).as("time from the refusal to the close")
          .isBetween(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(OneExchangeAtATime.LINGER_MS / 2),
              java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(OneExchangeAtATime.LINGER_MS + 5_000));
    }
  }

  @Test
  void emptyBody_createStream_isInvalidArgumentForMissingName() throws Exception {
    HttpResponse<String> r = post("/createStream", "");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorType(r)).isEqualTo("InvalidArgumentException");
  }

  @Test
  void getClip_timestampYear10000_isInvalidArgument() throws Exception {
    HttpResponse<String> r = post("/getClip", "{\"StreamName\":\"x\",\"ClipFragmentSelector\":"
        + "{\"FragmentSelectorType\":\"PRODUCER_TIMESTAMP\",\"TimestampRange\":"
        + "{\"StartTimestamp\":253402300800,\"EndTimestamp\":253402300900}}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorType(r)).isEqualTo("InvalidArgumentException");
  }

  @Test
  void keepAlive_manyRequestsOnOneClient_allAnswered() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThat(post("/listStreams", "{}").statusCode()).isEqualTo(200);
    }
  }
}
