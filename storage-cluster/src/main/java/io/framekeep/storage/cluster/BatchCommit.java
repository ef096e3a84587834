package io.framekeep.storage.cluster;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Commits the index rows of one uploaded batch object in ONE PostgreSQL transaction, fenced by the stream
 * leases:
 *
 * <ol>
 *   <li>turn the object's row, recorded PENDING before its PUT ({@link ObjectLedger#recordIntent}), LIVE
 *       ({@link ObjectLedger#markLive}: fails the whole commit if the collector already took it for an orphan);
 *   <li>lock the rows of the batch's streams ({@code SELECT ... FOR UPDATE}, in stream id order so two nodes
 *       never deadlock) — the lock {@link StreamLeases#acquire} also takes, so no grant interleaves;
 *   <li>read the leases in a new statement (a fresh snapshot under READ COMMITTED, so a grant committed while
 *       we waited for the lock is seen) and refuse every entry whose stream is deleted
 *       ({@link NoSuchFileException}) or whose lease is no longer this node's at the entry's epoch
 *       ({@link LeaseLostException});
 *   <li>insert the accepted entries' fragment rows and move each stream's {@code last_sequence}.
 * </ol>
 *
 * Refused entries do not fail the others: a fenced stream's rows are dropped, the rest commit. If the
 * transaction itself fails, every entry fails with the error and nothing is visible. An object none of whose
 * rows were accepted is recorded UNREFERENCED at once.
 */
final class BatchCommit {

  private final ClusterDatabase database;
  private final String nodeId;

  BatchCommit(ClusterDatabase database, String nodeId) {
    this.database = database;
    this.nodeId = nodeId;
  }

  /** The object id and, per refused entry, why; entries absent from the map were committed. */
  record Outcome(long objectId, Map<BatchEntry, IOException> refused) {}

  /**
   * Commits {@code entries} (all in the PENDING object {@code objectId}).
   *
   * @throws IOException if the transaction failed; nothing was committed then
   */
  Outcome commit(long objectId, long nowMs, List<BatchEntry> entries) throws IOException {
    return database.io("batch commit", c -> {
      Map<BatchEntry, IOException> refused = refuse(c, entries);
      ObjectLedger.markLive(c, objectId, refused.size() < entries.size(), nowMs);
      insertFragments(c, objectId, entries, refused);
      notifyCommitted(c, entries, refused);
      return new Outcome(objectId, refused);
    });
  }

  private Map<BatchEntry, IOException> refuse(Connection c, List<BatchEntry> entries) throws SQLException {
    TreeSet<Long> streamIds = new TreeSet<>();
    entries.forEach(e -> streamIds.add(e.streamId));
    Long[] ids = streamIds.toArray(new Long[0]);
    Map<Long, Boolean> live = new HashMap<>();
    Array idArray = c.createArrayOf("bigint", ids);
    Sql.query(c, "SELECT stream_id FROM streams WHERE stream_id = ANY (?) AND NOT deleted"
        + " ORDER BY stream_id FOR UPDATE", s -> s.setArray(1, idArray),
        row -> live.put(row.getLong(1), Boolean.TRUE));
    Map<Long, Long> epochs = new HashMap<>();
    Sql.query(c, "SELECT stream_id, epoch FROM stream_leases WHERE stream_id = ANY (?) AND owner_node = ?",
        s -> {
          s.setArray(1, idArray);
          s.setString(2, nodeId);
        },
        row -> epochs.put(row.getLong(1), row.getLong(2)));
    Map<BatchEntry, IOException> refused = new HashMap<>();
    for (BatchEntry entry : entries) {
      if (!live.containsKey(entry.streamId)) {
        refused.put(entry, new NoSuchFileException("stream " + entry.streamId));
      } else if (!Long.valueOf(entry.epoch).equals(epochs.get(entry.streamId))) {
        refused.put(entry, new LeaseLostException(entry.streamId, entry.epoch));
      }
    }
    return refused;
  }

  /**
   * Tells the other nodes which streams this transaction commits to ({@link CommitNotifications}): PostgreSQL
   * delivers a NOTIFY when, and only if, the transaction commits. Payload {@code "<nodeId> <streamId>
   * <lastSequence>"}, a few dozen bytes (the limit is 8000).
   */
  private void notifyCommitted(Connection c, List<BatchEntry> entries, Map<BatchEntry, IOException> refused)
      throws SQLException {
    Map<Long, Long> lastSequence = new TreeMap<>();
    for (BatchEntry e : entries) {
      if (!refused.containsKey(e)) {
        lastSequence.merge(e.streamId, e.sequence, Math::max);
      }
    }
    for (Map.Entry<Long, Long> stream : lastSequence.entrySet()) {
      Sql.query(c, "SELECT pg_notify(?, ?)",
          s -> {
            s.setString(1, CommitNotifications.CHANNEL);
            s.setString(2, nodeId + " " + stream.getKey() + " " + stream.getValue());
          },
          row -> null);
    }
  }

  private static void insertFragments(Connection c, long objectId, List<BatchEntry> entries,
      Map<BatchEntry, IOException> refused) throws SQLException {
    Map<Long, Long> lastSequence = new TreeMap<>();
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO fragments (stream_id, sequence,"
        + " producer_ms, server_ms, duration_ms, object_id, object_offset, length_bytes, header_id, frame_table)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (BatchEntry e : entries) {
        if (refused.containsKey(e)) {
          continue;
        }
        insert.setLong(1, e.streamId);
        insert.setLong(2, e.sequence);
        insert.setLong(3, e.metadata.producerTimestampMs());
        insert.setLong(4, e.metadata.serverTimestampMs());
        insert.setLong(5, e.metadata.durationMs());
        insert.setLong(6, objectId);
        insert.setLong(7, e.objectOffset);
        insert.setLong(8, e.lengthBytes());
        insert.setLong(9, e.metadata.headerId());
        insert.setBytes(10, e.metadata.frameTable());
        insert.addBatch();
        lastSequence.merge(e.streamId, e.sequence, Math::max);
      }
      insert.executeBatch();
    }
    for (Map.Entry<Long, Long> stream : lastSequence.entrySet()) {
      Sql.update(c, "UPDATE streams SET last_sequence = GREATEST(last_sequence, ?) WHERE stream_id = ?",
          s -> {
            s.setLong(1, stream.getValue());
            s.setLong(2, stream.getKey());
          });
    }
  }
}
