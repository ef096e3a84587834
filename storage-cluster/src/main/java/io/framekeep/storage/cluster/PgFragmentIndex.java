package io.framekeep.storage.cluster;

import io.framekeep.storage.StorageLimitExceededException;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRangeQuery;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The read side of the cluster fragment index and the session headers, with the same contracts as the
 * corresponding {@link FragmentLog} methods of the embedded backend; {@link FragmentRecord#segmentId()} is the
 * {@code objects.object_id} the payload lives in, {@link FragmentRecord#offset()} the offset in that object
 * ({@link #objectKey} names it in the bucket). Any node reads every stream's rows.
 *
 * <p>Thread safety: any thread; each call is one transaction.
 */
public final class PgFragmentIndex {

  static final String FRAGMENT_COLUMNS = "stream_id, sequence, producer_ms, server_ms, duration_ms, object_id,"
      + " object_offset, length_bytes, header_id, frame_table";

  private final ClusterDatabase database;
  private final Clock clock;

  public PgFragmentIndex(ClusterDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** As {@link FragmentLog#putHeader}: stored once per stream and content, durably when this returns. */
  public long putHeader(long streamId, byte[] header) throws IOException {
    if (header.length > FragmentLog.MAX_HEADER_BYTES) {
      throw new StorageLimitExceededException("MAX_HEADER_BYTES", FragmentLog.MAX_HEADER_BYTES, header.length);
    }
    String sha256 = sha256Hex(header);
    Long id = database.io("putHeader", c -> {
      if (Sql.query(c, "SELECT 1 FROM streams WHERE stream_id = ? AND NOT deleted", s -> s.setLong(1, streamId),
          row -> true).isEmpty()) {
        return null;
      }
      Sql.update(c, "INSERT INTO headers (stream_id, sha256, bytes, created_ms) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (stream_id, sha256) DO NOTHING",
          s -> {
            s.setLong(1, streamId);
            s.setString(2, sha256);
            s.setBytes(3, header);
            s.setLong(4, clock.millis());
          });
      return Sql.query(c, "SELECT header_id FROM headers WHERE stream_id = ? AND sha256 = ?",
          s -> {
            s.setLong(1, streamId);
            s.setString(2, sha256);
          },
          row -> row.getLong(1)).get(0);
    });
    if (id == null) {
      throw new NoSuchFileException("stream " + streamId);
    }
    return id;
  }

  /** As {@link FragmentLog#header}. */
  public byte[] header(long headerId) throws IOException {
    List<byte[]> found = database.io("header", c -> Sql.query(c, "SELECT bytes FROM headers WHERE header_id = ?",
        s -> s.setLong(1, headerId), row -> row.getBytes(1)));
    if (found.isEmpty()) {
      throw new NoSuchFileException("header " + headerId);
    }
    return found.get(0);
  }

  /** As {@link FragmentLog#range}: ordered by (timestamp, sequence), after the cursor, index-only. */
  public List<FragmentRecord> range(
      long streamId, TimeOrigin origin, long startMs, long endMs, FragmentCursor after, int limit) {
    Optional<FragmentRangeQuery> query = FragmentRangeQuery.of(streamId, startMs, endMs, after, limit);
    if (query.isEmpty()) {
      return List.of();
    }
    return database.call("range", c -> Sql.query(c, FragmentRangeQuery.sql(FRAGMENT_COLUMNS, origin),
        query.get()::bind, PgFragmentIndex::fragment));
  }

  /** As {@link FragmentLog#bySequence}. */
  public Optional<FragmentRecord> bySequence(long streamId, long sequence) {
    return database.call("bySequence", c -> Sql.query(c,
        "SELECT " + FRAGMENT_COLUMNS + " FROM fragments WHERE stream_id = ? AND sequence = ?",
        s -> {
          s.setLong(1, streamId);
          s.setLong(2, sequence);
        },
        PgFragmentIndex::fragment)).stream().findFirst();
  }

  /** The bucket key of an object named by {@link FragmentRecord#segmentId()}. */
  public String objectKey(long objectId) throws IOException {
    List<String> keys = database.io("objectKey", c -> Sql.query(c,
        "SELECT object_key FROM objects WHERE object_id = ?", s -> s.setLong(1, objectId), row -> row.getString(1)));
    if (keys.isEmpty()) {
      throw new NoSuchFileException("object " + objectId);
    }
    return keys.get(0);
  }

  static FragmentRecord fragment(ResultSet row) throws SQLException {
    byte[] frameTable = row.getBytes(10);
    return new FragmentRecord(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
        row.getLong(6), row.getLong(7), row.getLong(8), row.getLong(9), frameTable == null ? new byte[0] : frameTable);
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
