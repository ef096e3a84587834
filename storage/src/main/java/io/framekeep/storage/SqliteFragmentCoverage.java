package io.framekeep.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FragmentCoverage} over the SQLite index: one pass, in timestamp order, over the rows of
 * the range reading only (timestamp, duration), from which spans and bucket counts are folded
 * together in Java.
 *
 * <p>For producer time the pass reads only the covering index {@code fragments_coverage}
 * ({@link Database}), never the table, whose rows carry the frame tables (about 1 KB per fragment:
 * reading them would mean most of a gigabyte for a week). Server time has no such index and reads
 * the table rows; it is correct but slower. The pass holds the database lock while it runs (about
 * 0.2 s for 600,000 fragments here): a timeline request delays other index work by that much.
 */
final class SqliteFragmentCoverage implements FragmentCoverage {
  private final Database database;

  SqliteFragmentCoverage(Database database) {
    this.database = database;
  }

  @Override
  public Coverage coverage(long streamId, TimeOrigin origin, long startMs, long endMs,
      long bucketMs, long gapToleranceMs, int maxSpans) {
    if (bucketMs < 1 || gapToleranceMs < 0 || maxSpans < 1 || endMs < startMs) {
      throw new IllegalArgumentException("bad coverage query: bucket " + bucketMs + " ms, tolerance "
          + gapToleranceMs + " ms, " + maxSpans + " spans, [" + startMs + ", " + endMs + "]");
    }
    long buckets = (endMs - startMs) / bucketMs + 1;
    if (buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException(buckets + " buckets is over " + MAX_BUCKETS);
    }
    String column = origin == TimeOrigin.PRODUCER ? "producer_ms" : "server_ms";
    String sql = "SELECT " + column + ", duration_ms FROM fragments"
        + " WHERE stream_id = ? AND " + column + " BETWEEN ? AND ? ORDER BY " + column + ", sequence";
    return database.call("coverage", c -> {
      Folder folder = new Folder(startMs, bucketMs, (int) buckets, gapToleranceMs, maxSpans);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setLong(1, streamId);
        s.setLong(2, startMs);
        s.setLong(3, endMs);
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            folder.add(rows.getLong(1), rows.getLong(2));
          }
        }
      }
      return folder.finish();
    });
  }

  /** Folds fragments, given in (timestamp, sequence) order, into spans and bucket counts. */
  static final class Folder {
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

    Folder(long startMs, long bucketMs, int buckets, long gapToleranceMs, int maxSpans) {
      this.startMs = startMs;
      this.bucketMs = bucketMs;
      this.gapToleranceMs = gapToleranceMs;
      this.maxSpans = maxSpans;
      this.counts = new int[buckets];
    }

    void add(long timestampMs, long durationMs) {
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

    FragmentCoverage.Coverage finish() {
      if (spanFragments > 0) {
        close();
      }
      return new FragmentCoverage.Coverage(List.copyOf(spans), truncated, counts);
    }
  }
}
