package io.framekeep.server.coverage;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.storage.FragmentCoverage;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import java.time.Instant;

/**
 * {@code POST /getCoverage} (Framekeep extension): where a stream has media over a range, as merged
 * spans plus fragment counts per bucket, from the index alone, in one request however many
 * fragments the range holds. SigV4-signed and authorised like the AWS operations (action
 * {@code GetCoverage}). Costs {@value #METADATA_POINTS} fragment-metadata points: about one
 * ListFragments page, though it may summarise far more fragments.
 */
public final class GetCoverageOperation implements Operation {
  /** One full ListFragments page's worth; cheap enough for a timeline redrawn on every zoom. */
  static final int METADATA_POINTS = 1_000;

  private final StreamResolver resolver;
  private final FragmentCoverage coverage;
  private final FragmentQuotas quotas;

  public GetCoverageOperation(StreamResolver resolver, FragmentCoverage coverage,
      FragmentQuotas quotas) {
    this.resolver = resolver;
    this.coverage = coverage;
    this.quotas = quotas;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    GetCoverageRequest request = Json.read(body, GetCoverageRequest.class).validate();
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    quotas.charge(stream.streamId(), METADATA_POINTS, 0);
    TimeOrigin origin = GetCoverageRequest.SERVER_TIMESTAMP.equals(request.timestampType())
        ? TimeOrigin.SERVER : TimeOrigin.PRODUCER;
    long bucketMs = request.bucketMs();
    FragmentCoverage.Coverage result = coverage.coverage(stream.streamId(), origin,
        request.startMs(), request.endMs(), bucketMs,
        request.gapToleranceInMillis() == null ? GetCoverageRequest.DEFAULT_GAP_TOLERANCE_MS
            : request.gapToleranceInMillis(),
        request.maxSpans() == null ? GetCoverageRequest.MAX_SPANS : request.maxSpans());
    return new Response.Json(new GetCoverageResponse(
        result.spans().stream().map(s -> new GetCoverageResponse.Span(
            Instant.ofEpochMilli(s.startMs()), Instant.ofEpochMilli(s.endMs()), s.fragmentCount()))
            .toList(),
        result.spansTruncated(), bucketMs, result.fragmentsPerBucket()));
  }
}
