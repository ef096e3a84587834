package io.framekeep.server.coverage;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code POST /getCoverage} response.
 *
 * @param spans runs of media in time order: first fragment's start, latest end, fragment count
 * @param spansTruncated whether spans after the last one listed exist (MaxSpans reached)
 * @param bucketSizeInMillis the bucket size used
 * @param fragmentCounts fragments starting in each bucket; bucket i begins at StartTimestamp + i *
 *     BucketSizeInMillis
 */
record GetCoverageResponse(
    @JsonProperty("Spans") List<Span> spans,
    @JsonProperty("SpansTruncated") boolean spansTruncated,
    @JsonProperty("BucketSizeInMillis") long bucketSizeInMillis,
    @JsonProperty("FragmentCounts") int[] fragmentCounts) {

  record Span(
      @JsonProperty("StartTimestamp") Instant startTimestamp,
      @JsonProperty("EndTimestamp") Instant endTimestamp,
      @JsonProperty("FragmentCount") long fragmentCount) {}
}
