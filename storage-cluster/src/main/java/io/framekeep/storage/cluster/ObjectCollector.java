package io.framekeep.storage.cluster;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the bucket's space back, on any number of nodes at once (states: {@code V3__object_lifecycle.sql}). A
 * pass:
 *
 * <ol>
 *   <li><b>sweep</b>: LIVE objects no fragment row points into any more (retention, DeleteStream, compaction
 *       moved the last ones) become UNREFERENCED from now. Such an object can never gain a row again, so no lock
 *       is needed;
 *   <li><b>expire</b>: UNREFERENCED objects older than {@code graceMs} become DELETING: a reader that looked up
 *       a fragment's location before it moved or was deleted has had the grace period to finish reading;
 *   <li><b>orphans</b>: PENDING objects older than {@code orphanSettleMs} become DELETING: their PUT began but
 *       the commit that would have made them LIVE never happened (and now never can: {@link ObjectLedger});
 *   <li><b>delete</b>: DELETING rows, taken {@value #DELETE_BATCH} at a time with {@code FOR UPDATE SKIP
 *       LOCKED} so that nodes share the work, are deleted from the bucket and then from the table. A failure
 *       leaves them DELETING for the next pass (deleting a missing object is not an error).
 * </ol>
 *
 * <p>Thread safety: one pass at a time per instance; the counters may be read from any thread.
 */
final class ObjectCollector {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectCollector.class);

  /** 100 objects per transaction: row locks held for at most 100 DELETE requests (about a second). */
  static final int DELETE_BATCH = 100;

  private final ClusterDatabase database;
  private final ObjectStore store;
  private final Clock clock;
  private final long graceMs;
  private final long orphanSettleMs;
  private final AtomicLong objectsDeleted = new AtomicLong();
  private final AtomicLong bytesDeleted = new AtomicLong();

  ObjectCollector(ClusterDatabase database, ObjectStore store, Clock clock, long graceMs, long orphanSettleMs) {
    this.database = database;
    this.store = store;
    this.clock = clock;
    this.graceMs = graceMs;
    this.orphanSettleMs = orphanSettleMs;
  }

  /** What one pass did. */
  record Pass(int unreferenced, int expired, int orphans, int deleted) {}

  /** Objects deleted from the bucket by this node since start. */
  long objectsDeleted() {
    return objectsDeleted.get();
  }

  /** Their bytes. */
  long bytesDeleted() {
    return bytesDeleted.get();
  }

  /**
   * Runs the four steps once.
   *
   * @throws IOException if the database or the store failed; what was done before stays done
   */
  Pass runPass() throws IOException {
    long nowMs = clock.millis();
    int unreferenced = database.io("collector sweep", c -> Sql.update(c, "UPDATE objects"
        + " SET state = 'UNREFERENCED', unreferenced_ms = ? WHERE object_id IN (" + skipLocked("o.state = 'LIVE'"
        + " AND NOT EXISTS (SELECT 1 FROM fragments f WHERE f.object_id = o.object_id)") + ")",
        s -> s.setLong(1, nowMs)));
    int expired = database.io("collector expiry", c -> Sql.update(c, "UPDATE objects SET state = 'DELETING'"
        + " WHERE object_id IN (" + skipLocked("o.state = 'UNREFERENCED' AND o.unreferenced_ms <= ?") + ")",
        s -> s.setLong(1, nowMs - graceMs)));
    int orphans = database.io("collector orphans", c -> Sql.update(c, "UPDATE objects SET state = 'DELETING'"
        + " WHERE object_id IN (" + skipLocked("o.state = 'PENDING' AND o.created_ms <= ?") + ")",
        s -> s.setLong(1, nowMs - orphanSettleMs)));
    if (orphans > 0) {
      LOG.info("{} objects whose commit never happened will be deleted", orphans);
    }
    int deleted = 0;
    for (int batch; (batch = deleteBatch()) > 0; ) {
      deleted += batch;
    }
    return new Pass(unreferenced, expired, orphans, deleted);
  }

  /**
   * The ids of objects {@code o} matching {@code condition} that no other transaction has locked: nodes
   * sweeping at once, or a compactor's commit, are skipped (the next pass takes them) instead of waited for,
   * so passes on several nodes never deadlock.
   */
  private static String skipLocked(String condition) {
    return "SELECT o.object_id FROM objects o WHERE " + condition + " ORDER BY o.object_id FOR UPDATE SKIP LOCKED";
  }

  private record Doomed(long objectId, String key, long sizeBytes, boolean referenced) {}

  /** Deletes up to {@link #DELETE_BATCH} DELETING objects no other node is deleting; returns how many. */
  private int deleteBatch() throws IOException {
    return database.io("collector delete", c -> {
      List<Doomed> doomed = Sql.query(c, "SELECT o.object_id, o.object_key, o.size_bytes,"
          + " EXISTS (SELECT 1 FROM fragments f WHERE f.object_id = o.object_id) FROM objects o"
          + " WHERE o.state = 'DELETING' ORDER BY o.object_id LIMIT ? FOR UPDATE SKIP LOCKED",
          s -> s.setInt(1, DELETE_BATCH),
          row -> new Doomed(row.getLong(1), row.getString(2), row.getLong(3), row.getBoolean(4)));
      List<Long> gone = new ArrayList<>(doomed.size());
      for (Doomed d : doomed) {
        if (d.referenced()) {
          // Cannot happen by the ledger's rules; keep the bytes rather than lose indexed media.
          LOG.error("object {} is marked for deletion but fragments point into it; kept", d.key());
          Sql.update(c, "UPDATE objects SET state = 'LIVE', unreferenced_ms = NULL WHERE object_id = ?",
              s -> s.setLong(1, d.objectId()));
          continue;
        }
        store.delete(d.key());
        gone.add(d.objectId());
        objectsDeleted.incrementAndGet();
        bytesDeleted.addAndGet(d.sizeBytes());
      }
      if (!gone.isEmpty()) {
        java.sql.Array ids = c.createArrayOf("bigint", gone.toArray(new Long[0]));
        Sql.update(c, "DELETE FROM objects WHERE object_id = ANY (?)", s -> s.setArray(1, ids));
      }
      return doomed.size();
    });
  }
}
