package io.framekeep.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statements on the {@code stream_tags} table (stream_id, tag_key, tag_value; unique per stream and key), the
 * same SQL in SQLite and PostgreSQL. They run inside the caller's transaction and do not commit.
 */
public final class StreamTagRows {

  private StreamTagRows() {}

  /** A stream's tags, ordered by key. */
  public static Map<String, String> select(Connection c, long streamId) throws SQLException {
    Map<String, String> tags = new TreeMap<>();
    JdbcStatements.query(c, "SELECT tag_key, tag_value FROM stream_tags WHERE stream_id = ?",
        s -> s.setLong(1, streamId),
        row -> tags.put(row.getString(1), row.getString(2)));
    return tags;
  }

  /** Adds or overwrites each tag, in {@code tags}' iteration order. */
  public static void upsert(Connection c, long streamId, Map<String, String> tags) throws SQLException {
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      JdbcStatements.update(c, "INSERT INTO stream_tags (stream_id, tag_key, tag_value) VALUES (?, ?, ?)"
          + " ON CONFLICT (stream_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value",
          s -> {
            s.setLong(1, streamId);
            s.setString(2, tag.getKey());
            s.setString(3, tag.getValue());
          });
    }
  }

  /** Removes the tags with these keys; keys the stream does not have are ignored. */
  public static void delete(Connection c, long streamId, Collection<String> keys) throws SQLException {
    for (String key : keys) {
      JdbcStatements.update(c, "DELETE FROM stream_tags WHERE stream_id = ? AND tag_key = ?",
          s -> {
            s.setLong(1, streamId);
            s.setString(2, key);
          });
    }
  }
}
