package io.framekeep.server.media;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.GetMediaRequest;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.ingest.FragmentEvents;
import io.framekeep.server.quota.RequestRate;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code POST /getMedia} (kinesis-video-media): a long-lived chunked MKV body of KVS chunks from
 * the selected start, following the live edge (spec §3.8).
 *
 * <p>Before the head, all checks answer JSON errors: arguments (a selector without the member its
 * type needs), the stream (404), a fragment number or continuation token this server did not issue
 * or an AfterFragmentNumber not in the stream (400), the request rate (ClientLimitExceeded past
 * 5 per second per stream) and the connection limit (the fourth concurrent GetMedia of a stream
 * gets ConnectionLimitExceededException). Then {@link LiveFollower}
 * streams. Start selection is described in {@link StreamPositions#firstSequence}; NOW starts with
 * the newest stored fragment.
 *
 * <p>Idle close: a response that has sent everything and sees no new fragment for
 * {@code idleTimeoutMs} ends normally; the client resumes with the last continuation token.
 *
 * <p>Streams with no data retention keep their last 5 minutes as a live buffer (AWS's; see
 * {@link io.framekeep.server.retention.RetentionWindow#LIVE_BUFFER_MS}), which GetMedia reads like
 * an archive. Thread-safe.
 */
public final class GetMediaOperation implements Operation {
  /**
   * How long a caught-up GetMedia waits for a new fragment before ending. AWS does not document
   * its value (spec §3.8 suggests 30 s to 3 min); 30 s is longer than the longest fragment (20 s),
   * so a live producer never trips it, and equals the PutMedia idle close, so a reader learns that
   * a producer stopped about when the producer's session ends.
   */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
  /** AWS: 5 GetMedia requests per second per stream (hard limit). */
  public static final int AWS_REQUESTS_PER_SECOND = 5;

  private final StreamResolver resolver;
  private final FragmentLog log;
  private final StreamPositions positions;
  private final FragmentEvents events;
  private final Executor workers;
  private final ConnectionSlots slots;
  private final RequestRate rate;
  private final Supplier<FragmentPacer> pacers;
  private final long idleTimeoutMs;

  /**
   * @param workers runs storage lookups; never the event loop
   * @param maxFragmentDurationMs longest fragment ingest accepts (bounds timestamp lookups)
   * @param maxConnectionsPerStream concurrent GetMedia responses allowed per stream
   * @param rate requests per stream (keyed by stream id)
   * @param pacers a new pace for each response
   */
  GetMediaOperation(StreamResolver resolver, FragmentLog log, FragmentEvents events,
      Executor workers, long maxFragmentDurationMs, int maxConnectionsPerStream,
      RequestRate rate, Supplier<FragmentPacer> pacers, long idleTimeoutMs) {
    this.rate = rate;
    this.pacers = pacers;
    this.resolver = resolver;
    this.log = log;
    this.positions = new StreamPositions(log, maxFragmentDurationMs);
    this.events = events;
    this.workers = workers;
    this.slots = ConnectionSlots.getMedia(maxConnectionsPerStream);
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /**
   * AWS's limits: 3 connections per stream, {@link #AWS_REQUESTS_PER_SECOND} requests per stream
   * and 5 fragments per second per response (both enforced with {@code quotasEnabled}), and
   * {@link #DEFAULT_IDLE_TIMEOUT_MS}.
   */
  public static GetMediaOperation withAwsLimits(StreamResolver resolver, FragmentLog log,
      FragmentEvents events, Executor workers, long maxFragmentDurationMs, boolean quotasEnabled,
      Clock clock) {
    return new GetMediaOperation(resolver, log, events, workers, maxFragmentDurationMs,
        ConnectionSlots.AWS_MAX_GET_MEDIA_CONNECTIONS, new RequestRate(quotasEnabled,
            AWS_REQUESTS_PER_SECOND, "GetMedia requests per stream", clock),
        quotasEnabled
            ? () -> new FragmentPacer(FragmentPacer.AWS_FRAGMENTS_PER_SECOND, clock::millis)
            : FragmentPacer::unlimited,
        DEFAULT_IDLE_TIMEOUT_MS);
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws IOException {
    GetMediaRequest request = Json.read(body, GetMediaRequest.class).validate();
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    long streamId = stream.streamId();
    rate.acquire(streamId);
    Optional<FragmentRecord> latest = positions.latest(streamId);
    long first = positions.firstSequence(streamId, request.startSelector(), latest);
    Runnable release = slots.acquire(streamId);
    long newestServerMs = latest.map(FragmentRecord::serverTimestampMs).orElse(Long.MIN_VALUE);
    return new Response.Streaming(GetMediaRequest.CONTENT_TYPE, new LiveFollower(streamId, first,
        newestServerMs, log, positions, events, workers, idleTimeoutMs, pacers.get(), release));
  }

  /** Open GetMedia responses on a stream (for tests and metrics). */
  public int openConnections(long streamId) {
    return slots.openCount(streamId);
  }
}
