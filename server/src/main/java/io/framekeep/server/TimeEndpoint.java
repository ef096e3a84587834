package io.framekeep.server;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /time}, a Framekeep extension: the server's current time as ISO 8601 text with
 * milliseconds ({@code 2026-12-04T16:21:55.123Z}), the form DASH's
 * {@code urn:mpeg:dash:utc:http-iso:2014} UTCTiming scheme reads. Dynamic (LIVE) DASH manifests
 * point players at it so that they compute the live edge from the server's clock, not their own.
 * Needs no signature (it tells nothing but the time) and is served with CORS like the rest.
 * Thread-safe.
 */
public final class TimeEndpoint implements Operation {
  public static final String PATH = "/time";
  public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private final Clock clock;

  public TimeEndpoint(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    byte[] text = DateTimeFormatter.ISO_INSTANT
        .format(clock.instant().truncatedTo(ChronoUnit.MILLIS))
        .getBytes(StandardCharsets.US_ASCII);
    return Response.FileSlices.inMemory(CONTENT_TYPE, ByteBuffer.wrap(text));
  }
}
