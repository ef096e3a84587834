package io.framekeep.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Folds fragments, given in (timestamp, sequence) order, into the spans and bucket counts of a
 * {@link FragmentCoverage.Coverage}: the part of a coverage query every backend shares, whatever
 * index it reads the (timestamp, duration) pairs from. Not thread-safe: one query's thread.
 */
public final class CoverageFolder {
  private final long startMs;
  private final long bucketMs;
  private final long gapToleranceMs;
  private final int maxSpans;
  private final int[] counts;
  private final List<FragmentCoverage.Span> spans = new ArrayList<>();
  private boolean truncated;
  private long spanStartMs;
  private long spanEndMs;
  private long spanFragments;

  /**
   * A folder for one {@link FragmentCoverage#coverage} query, after checking its arguments as that
   * method documents.
   *
   * @throws IllegalArgumentException as {@link FragmentCoverage#coverage} documents
   */
  public static CoverageFolder forQuery(long startMs, long endMs, long bucketMs,
      long gapToleranceMs, int maxSpans) {
    if (bucketMs < 1 || gapToleranceMs < 0 || maxSpans < 1 || endMs < startMs) {
      throw new IllegalArgumentException("bad coverage query: bucket " + bucketMs + " ms, tolerance "
          + gapToleranceMs + " ms, " + maxSpans + " spans, [" + startMs + ", " + endMs + "]");
    }
    long buckets = (endMs - startMs) / bucketMs + 1;
    if (buckets > FragmentCoverage.MAX_BUCKETS) {
      throw new IllegalArgumentException(
          buckets + " buckets is over " + FragmentCoverage.MAX_BUCKETS);
    }
    return new CoverageFolder(startMs, bucketMs, (int) buckets, gapToleranceMs, maxSpans);
  }

  private CoverageFolder(long startMs, long bucketMs, int buckets, long gapToleranceMs,
      int maxSpans) {
    this.startMs = startMs;
    this.bucketMs = bucketMs;
    this.gapToleranceMs = gapToleranceMs;
    this.maxSpans = maxSpans;
    this.counts = new int[buckets];
  }

  public void add(long timestampMs, long durationMs) {
    counts[(int) ((timestampMs - startMs) / bucketMs)]++;
    if (spanFragments > 0 && timestampMs > spanEndMs + gapToleranceMs) {
      close();
    }
    if (spanFragments == 0) {
      spanStartMs = timestampMs;
      spanEndMs = timestampMs + durationMs;
    }
    spanEndMs = Math.max(spanEndMs, timestampMs + durationMs);
    spanFragments++;
  }

  private void close() {
    if (spans.size() < maxSpans) {
      spans.add(new FragmentCoverage.Span(spanStartMs, spanEndMs, spanFragments));
    } else {
      truncated = true;
    }
    spanFragments = 0;
  }

  public FragmentCoverage.Coverage finish() {
    if (spanFragments > 0) {
      close();
    }
    return new FragmentCoverage.Coverage(List.copyOf(spans), truncated, counts);
  }
}
