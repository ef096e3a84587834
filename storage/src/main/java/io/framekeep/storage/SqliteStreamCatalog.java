package io.framekeep.storage;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StreamCatalog} over the {@code streams} and {@code stream_tags} tables (schema: {@link Database}).
 * Deleted streams keep their row with {@code deleted = 1} so that stream ids (and segment directories) are never
 * reused. Thread-safe: every method is one transaction under the database lock.
 */
final class SqliteStreamCatalog implements StreamCatalog {

  /** Status a stream takes when deleted (KVS {@code StreamStatus}). */
  static final String STATUS_DELETING = "DELETING";

  private final Database database;
  private final SegmentStore segments;

  SqliteStreamCatalog(Database database, SegmentStore segments) {
    this.database = database;
    this.segments = segments;
  }

  @Override
  public StreamRecord create(StreamRecord stream, Map<String, String> tags) throws StreamExistsException {
    Long id = database.call("create", c -> {
      if (selectOne(c, "name = ? AND deleted = 0", stream.name()).isPresent()) {
        return null;
      }
      long streamId = Database.query(c, "INSERT INTO streams (name, arn, device_name, media_type, kms_key_id,"
          + " version, status, creation_time_ms, data_retention_hours, storage_tier)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING stream_id",
          s -> StreamRows.bindInsert(s, stream),
          row -> row.getLong(1)).get(0);
      upsertTags(c, streamId, tags);
      return streamId;
    });
    if (id == null) {
      throw new StreamExistsException(stream.name());
    }
    return stream.withStreamId(id);
  }

  @Override
  public Optional<StreamRecord> byName(String name) {
    return database.call("byName", c -> selectOne(c, "name = ? AND deleted = 0", name));
  }

  @Override
  public Optional<StreamRecord> byArn(String arn) {
    return database.call("byArn", c -> selectOne(c, "arn = ? AND deleted = 0", arn));
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
    return database.call("list", c -> Database.query(c,
        "SELECT " + StreamRows.COLUMNS + " FROM streams"
            + " WHERE deleted = 0 AND name >= ? AND name > ? AND substr(name, 1, ?) = ?"
            + " ORDER BY name LIMIT ?",
        s -> StreamRows.bindListPage(s, namePrefix, afterName, limit),
        StreamRows::stream));
  }

  @Override
  public boolean replace(String expectedVersion, StreamRecord updated) {
    return database.call("replace", c -> Database.update(c,
        "UPDATE streams SET device_name = ?, media_type = ?, kms_key_id = ?, version = ?, status = ?,"
            + " data_retention_hours = ?, storage_tier = ?"
            + " WHERE stream_id = ? AND version = ? AND deleted = 0",
        s -> StreamRows.bindReplace(s, updated, expectedVersion)) == 1);
  }

  @Override
  public void delete(long streamId) throws IOException {
    database.io("delete", c -> {
      Database.update(c, "UPDATE streams SET deleted = 1, status = ? WHERE stream_id = ? AND deleted = 0",
          s -> {
            s.setString(1, STATUS_DELETING);
            s.setLong(2, streamId);
          });
      for (String table : new String[] {"fragments", "headers", "stream_tags"}) {
        Database.update(c, "DELETE FROM " + table + " WHERE stream_id = ?", s -> s.setLong(1, streamId));
      }
      return null;
    });
    segments.deleteStream(streamId);
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
    return database.call("count", c -> Database.query(c, "SELECT COUNT(*) FROM streams WHERE deleted = 0",
        s -> { }, row -> row.getInt(1)).get(0));
  }

  private static void upsertTags(Connection c, long streamId, Map<String, String> tags) throws SQLException {
    StreamTagRows.upsert(c, streamId, tags);
  }

  private static Optional<StreamRecord> selectOne(Connection c, String where, Object key) throws SQLException {
    return Database.query(c, "SELECT " + StreamRows.COLUMNS + " FROM streams WHERE " + where,
        s -> s.setObject(1, key), StreamRows::stream).stream().findFirst();
  }
}
