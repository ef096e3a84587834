package io.framekeep.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

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
    String column = origin == TimeOrigin.PRODUCER ? "producer_ms" : "server_ms";
    String sql = "SELECT " + column + ", duration_ms FROM fragments"
        + " WHERE stream_id = ? AND " + column + " BETWEEN ? AND ? ORDER BY " + column + ", sequence";
    CoverageFolder folder =
        CoverageFolder.forQuery(startMs, endMs, bucketMs, gapToleranceMs, maxSpans);
    return database.call("coverage", c -> {
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
}
