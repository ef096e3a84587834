package io.framekeep.storage;

import java.util.List;

/**
 * Where a stream has media over a time range, answered from the fragment index alone (no segment
 * file is read): the merged spans of fragments, and the number of fragments starting in each bucket
 * of equal size. This is what a timeline draws; a week of 1 s fragments (600,000 rows) is one query.
 *
 * <p>Thread safety: may be called concurrently from any thread. Database failures surface as
 * {@link StorageException}.
 */
public interface FragmentCoverage {

  /**
   * The coverage of the fragments whose timestamp of {@code origin} lies in [startMs, endMs] (both
   * inclusive, as ListFragments selects them).
   *
   * <p>A span is a run of fragments, in timestamp order, in which each fragment starts at most
   * {@code gapToleranceMs} after the latest end (start + duration) of the fragments before it; a
   * later start opens a new span. At most {@code maxSpans} spans are returned, the earliest ones;
   * {@link Coverage#spansTruncated()} then says more exist. Bucket {@code i} covers
   * [startMs + i * bucketMs, startMs + (i + 1) * bucketMs).
   *
   * @throws IllegalArgumentException if bucketMs &lt; 1, gapToleranceMs &lt; 0, maxSpans &lt; 1, endMs &lt;
   *     startMs, or the range needs more than {@link #MAX_BUCKETS} buckets (callers validate first)
   */
  Coverage coverage(long streamId, TimeOrigin origin, long startMs, long endMs, long bucketMs,
      long gapToleranceMs, int maxSpans);

  /**
   * 100,000: ten times the pixel width of the widest screen; the answer (one int each) stays well
   * under a megabyte.
   */
  int MAX_BUCKETS = 100_000;

  /** A run of media: first fragment's start, latest end, and how many fragments it holds. */
  record Span(long startMs, long endMs, long fragmentCount) {}

  /**
   * @param spans in time order, at most maxSpans
   * @param spansTruncated whether spans after the last one returned exist
   * @param fragmentsPerBucket fragments whose start lies in each bucket
   */
  record Coverage(List<Span> spans, boolean spansTruncated, int[] fragmentsPerBucket) {}
}
