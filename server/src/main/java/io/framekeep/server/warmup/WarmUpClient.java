package io.framekeep.server.warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The warm-up's signed requests to its scratch server, over one keep-alive connection (reopened
 * after a response read only in part). A response other than 200 is an {@link IOException}: the
 * warm-up drives a known-good server with known-good requests, so any error means the request
 * path is broken and the warm-up stops. Not thread-safe (one per warm-up thread).
 */
final class WarmUpClient implements AutoCloseable {
  private final int port;
  private final WarmUpSigner signer;
  private WarmUpHttp http;

  WarmUpClient(int port, WarmUpSigner signer) {
    this.port = port;
    this.signer = signer;
  }

  /** A signed JSON POST, read whole. */
  WarmUpHttp.Response post(String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return check(path, connection().send("POST", path, signed(path, json), body));
  }

  /** A signed JSON POST whose (endless) body is read to about {@code maxBodyBytes}. */
  WarmUpHttp.Response postAndReadPrefix(String path, String json, long maxBodyBytes)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try {
      return check(path, connection().sendAndReadPrefix("POST", path, signed(path, json), body,
          maxBodyBytes));
    } finally {
      closeConnection();
    }
  }

  /** A GET of a URL path and query the server handed out (playback sessions carry a token). */
  WarmUpHttp.Response get(String target) throws IOException {
    WarmUpHttp c = connection();
    return check(target, c.send("GET", target, Map.of("Host", c.host()), new byte[0]));
  }

  /** A signed PutMedia of {@code mkv} in {@code pieceBytes} chunks, acks read to the end. */
  WarmUpHttp.Response putMedia(String stream, long producerStartMs, byte[] mkv, int pieceBytes)
      throws IOException {
    WarmUpHttp c = connection();
    Map<String, String> headers = new TreeMap<>();
    headers.put("Host", c.host());
    headers.put("x-amzn-stream-name", stream);
    headers.put("x-amzn-fragment-timecode-type", "RELATIVE");
    headers.put("x-amzn-producer-start-timestamp",
        (producerStartMs / 1000) + "." + String.format(java.util.Locale.ROOT, "%03d", producerStartMs % 1000));
    Map<String, String> signed = signer.sign("POST", "/putMedia", headers,
        WarmUpSigner.EMPTY_SHA256, Instant.now());
    try {
      return check("/putMedia", c.sendChunked("POST", "/putMedia", signed, mkv, pieceBytes));
    } finally {
      closeConnection(); // a PutMedia response ends its connection
    }
  }

  private Map<String, String> signed(String path, String json) throws IOException {
    Map<String, String> headers = new TreeMap<>();
    headers.put("Host", connection().host());
    headers.put("Content-Type", "application/json");
    return signer.sign("POST", path, headers,
        WarmUpSigner.sha256Hex(json.getBytes(StandardCharsets.UTF_8)), Instant.now());
  }

  private WarmUpHttp connection() throws IOException {
    if (http == null) {
      http = new WarmUpHttp(port);
    }
    return http;
  }

  private static WarmUpHttp.Response check(String what, WarmUpHttp.Response r)
      throws IOException {
    if (r.status() != 200) {
      String text = r.text();
      throw new IOException(what + " answered " + r.status() + ": "
          + text.substring(0, Math.min(300, text.length())));
    }
    return r;
  }

  private void closeConnection() throws IOException {
    if (http != null) {
      WarmUpHttp c = http;
      http = null;
      c.close();
    }
  }

  @Override
  public void close() throws IOException {
    closeConnection();
  }
}
