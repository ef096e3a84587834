package io.framekeep.storage.cluster;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The {@code objects} table as a ledger of what the cluster has in the bucket ({@code V3__object_lifecycle.sql}
 * gives the states). Writers record their intent BEFORE the PUT ({@link #recordIntent}) and turn it LIVE in the
 * transaction that indexes fragments in the object ({@link #markLive}); so an object whose commit never
 * happened is still known and the collector deletes it after the settle period.
 *
 * <p>Thread safety: stateless; any thread.
 */
final class ObjectLedger {

  static final String PENDING = "PENDING";
  static final String LIVE = "LIVE";
  static final String UNREFERENCED = "UNREFERENCED";
  static final String DELETING = "DELETING";

  /** Kinds: one node flush of many streams, or one stream's fragments (compaction, migration). */
  static final String SHARED = "SHARED";
  static final String STREAM = "STREAM";

  private ObjectLedger() {}

  /**
   * Records that {@code key} is about to be PUT, in a transaction of its own, and returns the object id. A key
   * already PENDING (a rerun after a PUT whose commit never happened, as a restarted migration does) is taken
   * over: the new PUT replaces the object.
   *
   * @param streamId the stream of a {@link #STREAM} object; null for {@link #SHARED}
   * @throws IOException if the key is already LIVE or being deleted, or the database failed
   */
  static long recordIntent(ClusterDatabase database, String key, long sizeBytes, String kind, Long streamId,
      long createdMs) throws IOException {
    java.util.List<Long> ids = database.io("object intent", c -> Sql.query(c, "INSERT INTO objects (object_key,"
        + " size_bytes, kind, stream_id, created_ms, state) VALUES (?, ?, ?, ?, ?, 'PENDING')"
        + " ON CONFLICT (object_key) DO UPDATE SET size_bytes = EXCLUDED.size_bytes,"
        + " created_ms = EXCLUDED.created_ms WHERE objects.state = 'PENDING' RETURNING object_id",
        s -> {
          s.setString(1, key);
          s.setLong(2, sizeBytes);
          s.setString(3, kind);
          s.setObject(4, streamId, java.sql.Types.BIGINT);
          s.setLong(5, createdMs);
        },
        row -> row.getLong(1)));
    if (ids.isEmpty()) {
      throw new IOException("object " + key + " is already in the ledger and not PENDING");
    }
    return ids.get(0);
  }

  /**
   * Inside the indexing transaction: PENDING → LIVE, or straight to UNREFERENCED when the transaction indexes
   * nothing in the object.
   *
   * @throws IOException if the object is no longer PENDING: the collector took it for an orphan (its settle
   *     period passed) and may have deleted it, so nothing may point into it
   */
  static void markLive(Connection c, long objectId, boolean referenced, long nowMs)
      throws SQLException, IOException {
    int updated = Sql.update(c, "UPDATE objects SET state = ?, unreferenced_ms = ?"
        + " WHERE object_id = ? AND state = 'PENDING'",
        s -> {
          s.setString(1, referenced ? LIVE : UNREFERENCED);
          s.setObject(2, referenced ? null : nowMs, java.sql.Types.BIGINT);
          s.setLong(3, objectId);
        });
    if (updated != 1) {
      throw new IOException("object " + objectId + " was collected as an orphan before its commit");
    }
  }

  /**
   * Marks the LIVE objects among {@code objectIds} that no fragment row points into any more UNREFERENCED
   * from {@code nowMs}; returns how many.
   */
  static int markUnreferencedIfUnused(Connection c, Long[] objectIds, long nowMs) throws SQLException {
    if (objectIds.length == 0) {
      return 0;
    }
    java.sql.Array ids = c.createArrayOf("bigint", objectIds);
    return Sql.update(c, "UPDATE objects o SET state = 'UNREFERENCED', unreferenced_ms = ?"
        + " WHERE o.object_id = ANY (?) AND o.state = 'LIVE'"
        + " AND NOT EXISTS (SELECT 1 FROM fragments f WHERE f.object_id = o.object_id)",
        s -> {
          s.setLong(1, nowMs);
          s.setArray(2, ids);
        });
  }
}
