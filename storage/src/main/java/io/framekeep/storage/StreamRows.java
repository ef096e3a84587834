package io.framekeep.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code streams} table as both stream catalogs see it (SQLite's and the cluster's PostgreSQL one use the
 * same column names and order): the selected columns, the mapping of a row to a {@link StreamRecord}, and the
 * parameters of the insert, replace and list statements. Only the SQL around them differs between backends.
 */
public final class StreamRows {

  /** The columns {@link #stream} maps, in its order; select exactly these. */
  public static final String COLUMNS = "stream_id, name, arn, device_name, media_type, kms_key_id,"
      + " version, status, creation_time_ms, data_retention_hours, storage_tier";

  private StreamRows() {}

  /** The stream in the current row of a {@code SELECT} of {@link #COLUMNS}. */
  public static StreamRecord stream(ResultSet row) throws SQLException {
    return new StreamRecord(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
        row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getLong(9), row.getInt(10),
        row.getString(11));
  }

  /**
   * Binds parameters 1-10 of an insert into (name, arn, device_name, media_type, kms_key_id, version, status,
   * creation_time_ms, data_retention_hours, storage_tier); the database assigns the stream id.
   */
  public static void bindInsert(PreparedStatement s, StreamRecord stream) throws SQLException {
    s.setString(1, stream.name());
    s.setString(2, stream.arn());
    s.setString(3, stream.deviceName());
    s.setString(4, stream.mediaType());
    s.setString(5, stream.kmsKeyId());
    s.setString(6, stream.version());
    s.setString(7, stream.status());
    s.setLong(8, stream.creationTimeMs());
    s.setInt(9, stream.dataRetentionHours());
    s.setString(10, stream.storageTier());
  }

  /**
   * Binds parameters 1-9 of a compare-and-set update: SET device_name, media_type, kms_key_id, version, status,
   * data_retention_hours, storage_tier, then WHERE stream_id = ? AND version = {@code expectedVersion}.
   */
  public static void bindReplace(PreparedStatement s, StreamRecord updated, String expectedVersion)
      throws SQLException {
    s.setString(1, updated.deviceName());
    s.setString(2, updated.mediaType());
    s.setString(3, updated.kmsKeyId());
    s.setString(4, updated.version());
    s.setString(5, updated.status());
    s.setInt(6, updated.dataRetentionHours());
    s.setString(7, updated.storageTier());
    s.setLong(8, updated.streamId());
    s.setString(9, expectedVersion);
  }

  /** Rejects a negative page size ({@link StreamCatalog#list}'s contract). */
  public static void requireListLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
  }

  /**
   * Binds parameters 1-5 of a page query {@code name >= ? AND name > ? AND substr(name, 1, ?) = ? ... LIMIT ?}:
   * prefix, exclusive lower bound, prefix length, prefix, limit. A null prefix or lower bound binds "" (names are
   * never empty, so "" as the exclusive lower bound means "from the start").
   */
  public static void bindListPage(PreparedStatement s, String namePrefix, String afterName, int limit)
      throws SQLException {
    String prefix = namePrefix == null ? "" : namePrefix;
    String after = afterName == null ? "" : afterName;
    s.setString(1, prefix);
    s.setString(2, after);
    s.setInt(3, prefix.length());
    s.setString(4, prefix);
    s.setInt(5, limit);
  }
}
