package io.framekeep.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FragmentLog} over segment files ({@link SegmentStore}) and the SQLite index ({@link Database}).
 * Thread-safe: see both classes for the locking rules.
 */
final class SqliteFragmentLog implements FragmentLog {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteFragmentLog.class);

  static final String FRAGMENT_COLUMNS = "stream_id, sequence, producer_ms, server_ms, duration_ms, segment_id,"
      + " segment_offset, length_bytes, header_id, frame_table";

  private final Database database;
  private final SegmentStore segments;
  private final GroupCommitter committer;
  private final StorageOptions options;
  private final Clock clock;

  SqliteFragmentLog(Database database, SegmentStore segments, GroupCommitter committer, StorageOptions options,
      Clock clock) {
    this.committer = committer;
    this.database = database;
    this.segments = segments;
    this.options = options;
    this.clock = clock;
  }

  @Override
  public long putHeader(long streamId, byte[] header) throws IOException {
    if (header.length > MAX_HEADER_BYTES) {
      throw new StorageLimitExceededException("MAX_HEADER_BYTES", MAX_HEADER_BYTES, header.length);
    }
    String sha256 = sha256Hex(header);
    // A reconnecting producer sends the header the stream already has: a read answers it. A new one is written
    // with the next group commit.
    List<Long> existing = database.io("putHeader", c -> isLive(c, streamId) ? headerId(c, streamId, sha256) : null);
    if (existing == null) {
      throw new NoSuchFileException("stream " + streamId);
    }
    Long id = existing.isEmpty() ? committer.putHeader(streamId, sha256, header, clock.millis())
        : existing.get(0);
    if (id == null) {
      throw new NoSuchFileException("stream " + streamId);
    }
    return id;
  }

  /** The id of the stream's header with this SHA-256, if stored. */
  static List<Long> headerId(Connection c, long streamId, String sha256) throws SQLException {
    return Database.query(c, "SELECT header_id FROM headers WHERE stream_id = ? AND sha256 = ?",
        s -> {
          s.setLong(1, streamId);
          s.setString(2, sha256);
        },
        row -> row.getLong(1));
  }

  @Override
  public byte[] header(long headerId) throws IOException {
    List<byte[]> found = database.io("header", c -> Database.query(c,
        "SELECT bytes FROM headers WHERE header_id = ?", s -> s.setLong(1, headerId), row -> nonNull(row.getBytes(1))));
    if (found.isEmpty()) {
      throw new NoSuchFileException("header " + headerId);
    }
    return found.get(0);
  }

  @Override
  public FragmentAppender openAppender(long streamId) throws IOException {
    if (!database.io("openAppender", c -> isLive(c, streamId))) {
      throw new NoSuchFileException("stream " + streamId);
    }
    return SegmentAppender.open(streamId, database, segments, committer, options);
  }

  @Override
  public List<FragmentRecord> range(
      long streamId, TimeOrigin origin, long startMs, long endMs, FragmentCursor after, int limit) {
    Optional<FragmentRangeQuery> query = FragmentRangeQuery.of(streamId, startMs, endMs, after, limit);
    if (query.isEmpty()) {
      return List.of();
    }
    return database.call("range", c -> Database.query(c, rangeSql(origin), query.get()::bind,
        SqliteFragmentLog::fragment));
  }

  /** The range query for an origin; parameters: stream, cursor timestamp, cursor sequence, end, limit. */
  static String rangeSql(TimeOrigin origin) {
    return FragmentRangeQuery.sql(FRAGMENT_COLUMNS, origin);
  }

  @Override
  public Optional<FragmentRecord> bySequence(long streamId, long sequence) {
    return database.call("bySequence", c -> Database.query(c,
        "SELECT " + FRAGMENT_COLUMNS + " FROM fragments WHERE stream_id = ? AND sequence = ?",
        s -> {
          s.setLong(1, streamId);
          s.setLong(2, sequence);
        },
        SqliteFragmentLog::fragment)).stream().findFirst();
  }

  @Override
  public ByteSource open(ByteRange range) throws IOException {
    return SegmentRangeReader.openOne(segments, range);
  }

  @Override
  public RangeReader openRanges(List<ByteRange> ranges) throws IOException {
    return SegmentRangeReader.open(segments, ranges);
  }

  @Override
  public long deleteOlderThan(long streamId, long cutoffMs) throws IOException {
    long removed = database.io("deleteOlderThan", c -> Database.update(c,
        "DELETE FROM fragments WHERE stream_id = ? AND server_ms < ?",
        s -> {
          s.setLong(1, streamId);
          s.setLong(2, cutoffMs);
        }));
    SegmentStore.StreamSegments state = segments.state(streamId);
    synchronized (state) {
      if (state.deleted) {
        return removed;
      }
      for (long segmentId : segments.segmentIds(streamId)) {
        if (segmentId >= state.newestSegmentId) {
          continue;
        }
        if (committedEnd(database, streamId, segmentId).isEmpty()) {
          Files.deleteIfExists(segments.segmentPath(streamId, segmentId));
          LOG.debug("stream {}: reclaimed segment {}", streamId, segmentId);
        }
      }
    }
    return removed;
  }

  /** The end offset of the last committed fragment in a segment; empty if it holds none. */
  static OptionalLong committedEnd(Database database, long streamId, long segmentId) throws IOException {
    List<Long> ends = database.io("committedEnd", c -> Database.query(c,
        "SELECT segment_offset + length_bytes FROM fragments WHERE stream_id = ? AND segment_id = ?"
            + " ORDER BY sequence DESC LIMIT 1",
        s -> {
          s.setLong(1, streamId);
          s.setLong(2, segmentId);
        },
        row -> row.getLong(1)));
    return ends.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ends.get(0));
  }

  /** Whether the stream exists and is not deleted. */
  static boolean isLive(Connection c, long streamId) throws SQLException {
    return !Database.query(c, "SELECT 1 FROM streams WHERE stream_id = ? AND deleted = 0",
        s -> s.setLong(1, streamId), row -> Boolean.TRUE).isEmpty();
  }

  static FragmentRecord fragment(ResultSet row) throws SQLException {
    return new FragmentRecord(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
        row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9), nonNull(row.getBytes(10)));
  }

  /** The driver may report an empty blob as null. */
  static byte[] nonNull(byte[] bytes) {
    return bytes == null ? new byte[0] : bytes;
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
