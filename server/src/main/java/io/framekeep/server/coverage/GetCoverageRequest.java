package io.framekeep.server.coverage;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.framekeep.api.model.Validation;
import io.framekeep.storage.FragmentCoverage;
import java.time.Instant;

/**
 * {@code POST /getCoverage} request (Framekeep extension, documented in the README beside the AWS
 * operations). Timestamps are epoch seconds like every AWS JSON timestamp.
 *
 * @param timestampType {@code PRODUCER_TIMESTAMP} (default) or {@code SERVER_TIMESTAMP}
 * @param bucketSizeInMillis at least {@value #MIN_BUCKET_MS}; default: the range in
 *     {@value #DEFAULT_BUCKETS} buckets
 * @param gapToleranceInMillis a fragment starting at most this long after the media before it
 *     continues its span; default {@value #DEFAULT_GAP_TOLERANCE_MS}
 * @param maxSpans 1..{@value #MAX_SPANS}; default {@value #MAX_SPANS}
 */
record GetCoverageRequest(
    @JsonProperty("StreamName") String streamName,
    @JsonProperty("StreamARN") String streamArn,
    @JsonProperty("TimestampType") String timestampType,
    @JsonProperty("StartTimestamp") Instant startTimestamp,
    @JsonProperty("EndTimestamp") Instant endTimestamp,
    @JsonProperty("BucketSizeInMillis") Long bucketSizeInMillis,
    @JsonProperty("GapToleranceInMillis") Long gapToleranceInMillis,
    @JsonProperty("MaxSpans") Integer maxSpans) {

  static final String PRODUCER_TIMESTAMP = "PRODUCER_TIMESTAMP";
  static final String SERVER_TIMESTAMP = "SERVER_TIMESTAMP";
  /** 100 ms: no fragment is shorter than a frame; finer buckets would only be empty. */
  static final long MIN_BUCKET_MS = 100;
  /** 1,000: about one bucket per pixel of a timeline on a laptop screen. */
  static final int DEFAULT_BUCKETS = 1_000;
  /**
   * 500 ms: fragment ends are computed from frame times, so back-to-back fragments abut within a
   * frame; half a second more absorbs producer clock jitter without hiding any gap a person sees.
   */
  static final long DEFAULT_GAP_TOLERANCE_MS = 500;
  /** 10,000 spans (about 300 KB of JSON): more gaps than any timeline can draw apart. */
  static final int MAX_SPANS = 10_000;
  /** 24 h: a tolerance that long merges everything; larger values are surely mistakes. */
  static final long MAX_GAP_TOLERANCE_MS = 86_400_000L;

  GetCoverageRequest validate() {
    Validation v = new Validation()
        .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
        .required("startTimestamp", startTimestamp)
        .required("endTimestamp", endTimestamp);
    v.rule(timestampType == null || timestampType.equals(PRODUCER_TIMESTAMP)
        || timestampType.equals(SERVER_TIMESTAMP),
        "TimestampType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP.");
    if (startTimestamp != null && endTimestamp != null) {
      v.rule(!endTimestamp.isBefore(startTimestamp),
          "The EndTimestamp must not be earlier than the StartTimestamp.");
      if (bucketSizeInMillis != null) {
        v.rule(bucketSizeInMillis >= MIN_BUCKET_MS,
            "BucketSizeInMillis must be at least " + MIN_BUCKET_MS + ".");
        v.rule(bucketSizeInMillis < MIN_BUCKET_MS || buckets(bucketSizeInMillis)
            <= FragmentCoverage.MAX_BUCKETS, "The range holds more than "
            + FragmentCoverage.MAX_BUCKETS + " buckets of BucketSizeInMillis.");
      }
    }
    v.rule(gapToleranceInMillis == null
        || (gapToleranceInMillis >= 0 && gapToleranceInMillis <= MAX_GAP_TOLERANCE_MS),
        "GapToleranceInMillis must be between 0 and " + MAX_GAP_TOLERANCE_MS + ".");
    v.rule(maxSpans == null || (maxSpans >= 1 && maxSpans <= MAX_SPANS),
        "MaxSpans must be between 1 and " + MAX_SPANS + ".");
    v.throwIfInvalid();
    return this;
  }

  long startMs() {
    return startTimestamp.toEpochMilli();
  }

  long endMs() {
    return endTimestamp.toEpochMilli();
  }

  long bucketMs() {
    if (bucketSizeInMillis != null) {
      return bucketSizeInMillis;
    }
    long span = endMs() - startMs() + 1;
    return Math.max(MIN_BUCKET_MS, (span + DEFAULT_BUCKETS - 1) / DEFAULT_BUCKETS);
  }

  private long buckets(long bucketMs) {
    return (endMs() - startMs()) / bucketMs + 1;
  }
}
