package io.framekeep.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One page of {@link FragmentLog#range} as an index query, the same for every SQL backend: rows of a stream
 * ordered by (timestamp, sequence), strictly after a (timestamp, sequence) position, up to an end timestamp.
 * Both SQLite and PostgreSQL answer the row-value comparison from the (stream, timestamp, sequence) index.
 *
 * @param fromMs        timestamp of the exclusive start position
 * @param fromSequence  sequence of the exclusive start position (0 = from the first fragment at {@code fromMs})
 * @param endMs         inclusive end timestamp
 * @param rows          page size, already capped at {@link FragmentLog#MAX_RANGE_RESULTS}
 */
public record FragmentRangeQuery(long streamId, long fromMs, long fromSequence, long endMs, int rows) {

  /**
   * The query for {@link FragmentLog#range}'s arguments, or empty when the page is empty without asking the
   * database (limit 0, or start after end).
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public static Optional<FragmentRangeQuery> of(long streamId, long startMs, long endMs, FragmentCursor after,
      int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    int rows = Math.min(limit, FragmentLog.MAX_RANGE_RESULTS);
    if (rows == 0 || startMs > endMs) {
      return Optional.empty();
    }
    // (ts, sequence) > (startMs, 0) is ts >= startMs because sequences start at 1.
    long fromMs = startMs;
    long fromSequence = 0;
    if (after != null && (after.timestampMs() > startMs
        || (after.timestampMs() == startMs && after.sequence() > 0))) {
      fromMs = after.timestampMs();
      fromSequence = after.sequence();
    }
    return Optional.of(new FragmentRangeQuery(streamId, fromMs, fromSequence, endMs, rows));
  }

  /**
   * The SQL selecting {@code columns} from table {@code fragments} for {@code origin}'s timestamp column;
   * parameters as {@link #bind} sets them.
   */
  public static String sql(String columns, TimeOrigin origin) {
    String column = origin == TimeOrigin.PRODUCER ? "producer_ms" : "server_ms";
    return "SELECT " + columns + " FROM fragments"
        + " WHERE stream_id = ? AND (" + column + ", sequence) > (?, ?) AND " + column + " <= ?"
        + " ORDER BY " + column + ", sequence LIMIT ?";
  }

  /** Binds parameters 1-5 of {@link #sql}: stream, start timestamp, start sequence, end, page size. */
  public void bind(PreparedStatement s) throws SQLException {
    s.setLong(1, streamId);
    s.setLong(2, fromMs);
    s.setLong(3, fromSequence);
    s.setLong(4, endMs);
    s.setInt(5, rows);
  }
}
