package io.framekeep.storage.cluster;

import io.framekeep.storage.CoverageFolder;
import io.framekeep.storage.FragmentCoverage;
import io.framekeep.storage.TimeOrigin;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * {@link FragmentCoverage} over the PostgreSQL fragment index: one ordered pass over the range's
 * (timestamp, duration) pairs through the {@code fragments_by_producer} / {@code fragments_by_server}
 * indexes, folded into spans and bucket counts by {@link CoverageFolder}. The rows are streamed with a
 * bounded fetch size, so a week of 1 s fragments never sits in memory at once.
 *
 * <p>Thread safety: any thread; each call is one read on a pooled connection.
 */
final class PgFragmentCoverage implements FragmentCoverage {
  /** Rows per round trip: large enough to amortise the round trip, small enough to stay a few MB. */
  private static final int FETCH_ROWS = 10_000;

  private final ClusterDatabase database;

  PgFragmentCoverage(ClusterDatabase database) {
    this.database = database;
  }

  @Override
  public Coverage coverage(long streamId, TimeOrigin origin, long startMs, long endMs,
      long bucketMs, long gapToleranceMs, int maxSpans) {
    CoverageFolder folder =
        CoverageFolder.forQuery(startMs, endMs, bucketMs, gapToleranceMs, maxSpans);
    String column = origin == TimeOrigin.PRODUCER ? "producer_ms" : "server_ms";
    String sql = "SELECT " + column + ", duration_ms FROM fragments"
        + " WHERE stream_id = ? AND " + column + " BETWEEN ? AND ? ORDER BY " + column + ", sequence";
    return database.call("coverage", c -> {
      // PostgreSQL's driver streams rows with a fetch size only inside a transaction.
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setFetchSize(FETCH_ROWS);
        s.setLong(1, streamId);
        s.setLong(2, startMs);
        s.setLong(3, endMs);
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            folder.add(rows.getLong(1), rows.getLong(2));
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
      return folder.finish();
    });
  }
}
