package io.framekeep.storage.cluster;

import io.framekeep.storage.StorageException;
import io.framekeep.storage.StreamCatalog;
import io.framekeep.storage.StreamExistsException;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.StreamRows;
import io.framekeep.storage.StreamTagRows;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link StreamCatalog} over the cluster's {@code streams} and {@code stream_tags} tables (schema:
 * {@code V1__cluster_schema.sql}). Deleted streams keep their row ({@code deleted = true}) so stream ids are
 * never reused. Every method is one transaction; concurrent creates of one name from any number of nodes
 * leave exactly one stream (the partial unique index {@code streams_live_name} decides).
 *
 * <p>Deleting a stream drops its fragment rows, headers, tags and lease in one transaction; the objects its
 * fragments lived in are reclaimed in the background: the {@link Compactor} moves other streams' fragments out
 * of shared objects and the {@link ObjectCollector} deletes objects nothing points into.
 * An appender still open on the stream fails at its next batch commit.
 */
public final class PgStreamCatalog implements StreamCatalog {

  /** Status a stream takes when deleted (KVS {@code StreamStatus}). */
  static final String STATUS_DELETING = "DELETING";

  private final ClusterDatabase database;

  public PgStreamCatalog(ClusterDatabase database) {
    this.database = database;
  }

  @Override
  public StreamRecord create(StreamRecord stream, Map<String, String> tags) throws StreamExistsException {
    try {
      long id = database.transaction(c -> {
        long streamId = Sql.query(c, "INSERT INTO streams (name, arn, device_name, media_type, kms_key_id,"
            + " version, status, creation_time_ms, data_retention_hours, storage_tier)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING stream_id",
            s -> StreamRows.bindInsert(s, stream),
            row -> row.getLong(1)).get(0);
        upsertTags(c, streamId, tags);
        return streamId;
      });
      return stream.withStreamId(id);
    } catch (SQLException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new StreamExistsException(stream.name());
      }
      throw ClusterDatabase.failure("create", e);
    } catch (IOException e) {
      throw new StorageException("create failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<StreamRecord> byName(String name) {
    return database.call("byName", c -> selectOne(c, "name = ? AND NOT deleted", name));
  }

  @Override
  public Optional<StreamRecord> byArn(String arn) {
    return database.call("byArn", c -> selectOne(c, "arn = ? AND NOT deleted", arn));
  }

  @Override
  public Optional<StreamRecord> byId(long streamId) {
    return database.call("byId", c -> selectOne(c, "stream_id = ?", streamId));
  }

  @Override
  public List<StreamRecord> list(String namePrefix, String afterName, int limit) {
    StreamRows.requireListLimit(limit);
    if (limit == 0) {
      return List.of();
    }
    return database.call("list", c -> Sql.query(c,
        "SELECT " + StreamRows.COLUMNS + " FROM streams"
            + " WHERE NOT deleted AND name >= ? AND name > ? AND substr(name, 1, ?) = ?"
            + " ORDER BY name LIMIT ?",
        s -> StreamRows.bindListPage(s, namePrefix, afterName, limit),
        StreamRows::stream));
  }

  @Override
  public boolean replace(String expectedVersion, StreamRecord updated) {
    return database.call("replace", c -> Sql.update(c,
        "UPDATE streams SET device_name = ?, media_type = ?, kms_key_id = ?, version = ?, status = ?,"
            + " data_retention_hours = ?, storage_tier = ?"
            + " WHERE stream_id = ? AND version = ? AND NOT deleted",
        s -> StreamRows.bindReplace(s, updated, expectedVersion)) == 1);
  }

  @Override
  public void delete(long streamId) throws IOException {
    database.io("delete", c -> {
      // Lock the row first: a batch commit for this stream either finished before or sees deleted = true.
      int marked = Sql.update(c, "UPDATE streams SET deleted = true, status = ? WHERE stream_id = ? AND NOT deleted",
          s -> {
            s.setString(1, STATUS_DELETING);
            s.setLong(2, streamId);
          });
      if (marked == 0) {
        return null;
      }
      for (String table : new String[] {"fragments", "headers", "stream_tags", "stream_leases"}) {
        Sql.update(c, "DELETE FROM " + table + " WHERE stream_id = ?", s -> s.setLong(1, streamId));
      }
      return null;
    });
  }

  @Override
  public Map<String, String> tags(long streamId) {
    return database.call("tags", c -> StreamTagRows.select(c, streamId));
  }

  @Override
  public void putTags(long streamId, Map<String, String> tags) {
    database.call("putTags", c -> {
      upsertTags(c, streamId, tags);
      return null;
    });
  }

  @Override
  public void removeTags(long streamId, Collection<String> keys) {
    database.call("removeTags", c -> {
      StreamTagRows.delete(c, streamId, keys);
      return null;
    });
  }

  @Override
  public int count() {
    return database.call("count", c -> Sql.query(c, "SELECT COUNT(*) FROM streams WHERE NOT deleted",
        s -> { }, row -> row.getInt(1)).get(0));
  }

  private static void upsertTags(Connection c, long streamId, Map<String, String> tags) throws SQLException {
    StreamTagRows.upsert(c, streamId, new TreeMap<>(tags));
  }

  private static Optional<StreamRecord> selectOne(Connection c, String where, Object key) throws SQLException {
    return Sql.query(c, "SELECT " + StreamRows.COLUMNS + " FROM streams WHERE " + where,
        s -> s.setObject(1, key), StreamRows::stream).stream().findFirst();
  }
}
