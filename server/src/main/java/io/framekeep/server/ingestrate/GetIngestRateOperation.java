package io.framekeep.server.ingestrate;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /getIngestRate} (Framekeep extension): how fast a stream is being ingested now, in
 * bytes and fragments per second over a recent window, counted from the fragment index by server
 * (arrival) timestamp. SigV4-signed and authorised like the AWS operations (action {@code
 * GetIngestRate}).
 *
 * <p>Why the index and not counters on the ingest path: in cluster mode a stream is ingested by
 * whichever node its producer reached, and every node reads the same index, so any node answers
 * for every stream alike, holding nothing per stream in memory. A fragment counts once it is
 * committed (acknowledged), so the figures trail the bytes on the wire by the commit delay (about
 * a fragment; more in cluster mode, where a commit includes the object-store write).
 *
 * <p>Cost: one index page of at most {@value #MAX_FRAGMENTS} rows, charged {@value
 * #METADATA_POINTS} fragment-metadata points (a tenth of a ListFragments page: a streams page asks
 * once per visible stream every few seconds).
 */
public final class GetIngestRateOperation implements Operation {
  /**
   * 3,000: 10 fragments a second over the longest window, far more than producers send (1-2 s
   * fragments); beyond it the answer says Truncated rather than reading on.
   */
  static final int MAX_FRAGMENTS = 3_000;
  static final int METADATA_POINTS = 100;

  private final StreamResolver resolver;
  private final FragmentLog fragments;
  private final FragmentQuotas quotas;
  private final Clock clock;

  public GetIngestRateOperation(StreamResolver resolver, FragmentLog fragments,
      FragmentQuotas quotas, Clock clock) {
    this.resolver = resolver;
    this.fragments = fragments;
    this.quotas = quotas;
    this.clock = clock;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    GetIngestRateRequest request = Json.read(body, GetIngestRateRequest.class).validate();
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    quotas.charge(stream.streamId(), METADATA_POINTS, 0);
    long endMs = clock.millis();
    long windowMs = request.windowMs();
    // (end - window, end]: the range query is inclusive at both ends.
    List<FragmentRecord> recent = fragments.range(stream.streamId(), TimeOrigin.SERVER,
        endMs - windowMs + 1, endMs, null, MAX_FRAGMENTS);
    long bytes = 0;
    long lastMs = Long.MIN_VALUE;
    for (FragmentRecord f : recent) {
      bytes += f.lengthBytes();
      lastMs = Math.max(lastMs, f.serverTimestampMs());
    }
    double seconds = windowMs / 1000.0;
    return new Response.Json(new GetIngestRateResponse(
        Instant.ofEpochMilli(endMs - windowMs), Instant.ofEpochMilli(endMs),
        recent.size(), bytes, bytes / seconds, recent.size() / seconds,
        recent.isEmpty() ? null : Instant.ofEpochMilli(lastMs),
        recent.size() >= MAX_FRAGMENTS));
  }
}
