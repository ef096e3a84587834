package io.framekeep.storage.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites fragments into per-stream objects, one stream at a time, on any number of nodes at once:
 *
 * <ul>
 *   <li><b>What moves.</b> A stream's fragments that live in a LIVE object at least {@code minAgeMs} old that is
 *       either SHARED (one node flush of many streams) or a STREAM object of which at most half is still
 *       pointed into (retention or DeleteStream removed the rest), in sequence order. They are cut into objects
 *       of up to {@code targetBytes}; a stream's object may gather fragments from many shared objects. The last,
 *       smaller-than-target part of a stream waits until its oldest object is {@link #TAIL_AGE_FACTOR} times the
 *       minimum age, so that slow streams too make sizeable objects instead of one small object per pass.
 *   <li><b>Who moves it.</b> A node claims a stream in {@code compaction_claims} (an insert that succeeds only
 *       when no other node holds an unexpired claim), renews the claim before each object and drops it after.
 *   <li><b>How.</b> For each new object: copy the payloads by ranged GETs into a temporary file (memory stays
 *       flat whatever the target size), record the object PENDING in the ledger, PUT it, then in ONE
 *       transaction re-point each fragment row — only where the row still names the object, offset and length
 *       the bytes were copied from, so a fragment deleted (or moved by another node) meanwhile is neither
 *       resurrected nor moved twice — make the new object LIVE (UNREFERENCED if no row moved) and mark the old
 *       objects UNREFERENCED when no row points into them any more. Readers that looked up an old location keep
 *       reading it: the {@link ObjectCollector} deletes it only after its grace period.
 * </ul>
 *
 * Bytes are copied, never re-encoded: a clip before and after is byte-identical.
 *
 * <p>Keys: {@code stream/<streamId>/<firstSequence>-<lastSequence>/<nodeId>-<createdMs>-<n>}.
 *
 * <p>Thread safety: one pass at a time per instance (the maintenance thread); the counters may be read from
 * any thread.
 */
final class Compactor {

  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

  /**
   * 4: a stream's last, smaller-than-target part is rewritten once its oldest object is four minimum ages old
   * (an hour at the defaults), which bounds how long shared objects outlive the minimum age.
   */
  static final int TAIL_AGE_FACTOR = 4;

  /**
   * 10 minutes: the claim is renewed before each object, and copying one object of the largest target (5 GiB)
   * at 100 MB/s takes under a minute; a node that dies loses its claims within this.
   */
  static final long CLAIM_TTL_MS = 10 * 60_000;

  /** The objects fragments may be moved out of at cutoff {@code ?}: old SHARED ones and half-dead STREAM ones. */
  private static final String MOVABLE = "o.state = 'LIVE' AND o.created_ms <= ? AND (o.kind = 'SHARED'"
      + " OR 2 * (SELECT COALESCE(SUM(g.length_bytes), 0) FROM fragments g WHERE g.object_id = o.object_id)"
      + " < o.size_bytes)";

  private final ClusterDatabase database;
  private final ObjectStore store;
  private final RangedReader reader;
  private final Clock clock;
  private final String nodeId;
  private final long minAgeMs;
  private final long targetBytes;
  private final AtomicLong objectCounter = new AtomicLong();
  private final AtomicLong objectsWritten = new AtomicLong();
  private final AtomicLong bytesRewritten = new AtomicLong();
  private final AtomicLong fragmentsMoved = new AtomicLong();

  Compactor(ClusterDatabase database, ObjectStore store, RangedReader reader, Clock clock, String nodeId,
      long minAgeMs, long targetBytes) {
    this.database = database;
    this.store = store;
    this.reader = reader;
    this.clock = clock;
    this.nodeId = nodeId;
    this.minAgeMs = minAgeMs;
    this.targetBytes = targetBytes;
  }

  /** A stream with fragments in movable objects. */
  record Candidate(long streamId, long bytes, long oldestMs, boolean sparse) {}

  /** One fragment's payload where it is now. */
  record Piece(long sequence, long objectId, String objectKey, long offset, long lengthBytes) {}

  /** Per-stream objects written since start. */
  long objectsWritten() {
    return objectsWritten.get();
  }

  /** Payload bytes copied into per-stream objects since start. */
  long bytesRewritten() {
    return bytesRewritten.get();
  }

  /** Fragment rows re-pointed since start. */
  long fragmentsMoved() {
    return fragmentsMoved.get();
  }

  /**
   * Compacts every stream that is due and that no other node is compacting; returns the objects written.
   *
   * @throws IOException if the database or the store failed; what was committed before stays
   */
  int runPass() throws IOException {
    long nowMs = clock.millis();
    int written = 0;
    for (Candidate candidate : candidates(nowMs)) {
      boolean takeTail = candidate.sparse() || candidate.oldestMs() <= nowMs - TAIL_AGE_FACTOR * minAgeMs;
      if (!takeTail && candidate.bytes() < targetBytes) {
        continue;
      }
      if (!claim(candidate.streamId())) {
        continue;
      }
      try {
        written += compactStream(candidate.streamId(), takeTail);
      } finally {
        release(candidate.streamId());
      }
    }
    return written;
  }

  /** Streams with fragments in movable objects, the longest waiting first. */
  List<Candidate> candidates(long nowMs) throws IOException {
    return database.io("compaction candidates", c -> Sql.query(c, "SELECT f.stream_id, SUM(f.length_bytes),"
        + " MIN(o.created_ms), BOOL_OR(o.kind = 'STREAM') FROM fragments f JOIN objects o USING (object_id)"
        + " WHERE " + MOVABLE + " GROUP BY f.stream_id ORDER BY MIN(o.created_ms), f.stream_id",
        s -> s.setLong(1, nowMs - minAgeMs),
        row -> new Candidate(row.getLong(1), row.getLong(2), row.getLong(3), row.getBoolean(4))));
  }

  /** Takes the stream unless another node holds an unexpired claim on it. */
  boolean claim(long streamId) throws IOException {
    long nowMs = clock.millis();
    return !database.io("compaction claim", c -> Sql.query(c, "INSERT INTO compaction_claims (stream_id,"
        + " claimed_by, expires_ms) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE"
        + " SET claimed_by = EXCLUDED.claimed_by, expires_ms = EXCLUDED.expires_ms"
        + " WHERE compaction_claims.expires_ms < ? RETURNING stream_id",
        s -> {
          s.setLong(1, streamId);
          s.setString(2, nodeId);
          s.setLong(3, nowMs + CLAIM_TTL_MS);
          s.setLong(4, nowMs);
        },
        row -> row.getLong(1))).isEmpty();
  }

  /** Extends our claim; false if it lapsed and another node took the stream. */
  private boolean renew(long streamId) throws IOException {
    long nowMs = clock.millis();
    return database.io("compaction claim renewal", c -> Sql.update(c, "UPDATE compaction_claims"
        + " SET expires_ms = ? WHERE stream_id = ? AND claimed_by = ?",
        s -> {
          s.setLong(1, nowMs + CLAIM_TTL_MS);
          s.setLong(2, streamId);
          s.setString(3, nodeId);
        })) == 1;
  }

  void release(long streamId) {
    try {
      database.io("compaction claim release", c -> Sql.update(c,
          "DELETE FROM compaction_claims WHERE stream_id = ? AND claimed_by = ?",
          s -> {
            s.setLong(1, streamId);
            s.setString(2, nodeId);
          }));
    } catch (IOException e) {
      LOG.warn("stream {}: compaction claim not released ({}); it lapses by itself", streamId, e.getMessage());
    }
  }

  /** Moves the stream's movable fragments into new objects; returns how many were written. */
  int compactStream(long streamId, boolean takeTail) throws IOException {
    List<List<Piece>> chunks = chunks(pieces(streamId, clock.millis() - minAgeMs), targetBytes);
    if (!takeTail && !chunks.isEmpty() && bytes(chunks.get(chunks.size() - 1)) < targetBytes) {
      chunks.remove(chunks.size() - 1);
    }
    int written = 0;
    for (List<Piece> chunk : chunks) {
      if (!renew(streamId)) {
        LOG.info("stream {}: compaction claim lapsed; another node continues", streamId);
        break;
      }
      rewrite(streamId, chunk);
      written++;
    }
    return written;
  }

  /** The stream's fragments in movable objects, in sequence order. */
  List<Piece> pieces(long streamId, long cutoffMs) throws IOException {
    return database.io("compaction pieces", c -> Sql.query(c, "SELECT f.sequence, f.object_id, o.object_key,"
        + " f.object_offset, f.length_bytes FROM fragments f JOIN objects o USING (object_id)"
        + " WHERE f.stream_id = ? AND " + MOVABLE + " ORDER BY f.sequence",
        s -> {
          s.setLong(1, streamId);
          s.setLong(2, cutoffMs);
        },
        row -> new Piece(row.getLong(1), row.getLong(2), row.getString(3), row.getLong(4), row.getLong(5))));
  }

  /** Consecutive runs of pieces of at most {@code maxBytes} each (a single larger piece alone). */
  static List<List<Piece>> chunks(List<Piece> pieces, long maxBytes) {
    List<List<Piece>> chunks = new ArrayList<>();
    List<Piece> current = new ArrayList<>();
    long currentBytes = 0;
    for (Piece piece : pieces) {
      if (!current.isEmpty() && currentBytes + piece.lengthBytes() > maxBytes) {
        chunks.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(piece);
      currentBytes += piece.lengthBytes();
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  private static long bytes(List<Piece> chunk) {
    return chunk.stream().mapToLong(Piece::lengthBytes).sum();
  }

  /** Copies one chunk into a new object and re-points its rows; returns the rows moved. */
  int rewrite(long streamId, List<Piece> chunk) throws IOException {
    long createdMs = clock.millis();
    String key = "stream/" + streamId + "/" + chunk.get(0).sequence() + "-" + chunk.get(chunk.size() - 1).sequence()
        + "/" + nodeId + "-" + createdMs + "-" + objectCounter.incrementAndGet();
    long sizeBytes = bytes(chunk);
    Path spool = Files.createTempFile("framekeep-compact-", ".bin");
    try {
      copy(chunk, spool, sizeBytes);
      long objectId = ObjectLedger.recordIntent(database, key, sizeBytes, ObjectLedger.STREAM, streamId, createdMs);
      store.put(key, sizeBytes, () -> open(spool));
      int moved = database.io("compaction commit", c -> repoint(c, streamId, objectId, chunk));
      objectsWritten.incrementAndGet();
      bytesRewritten.addAndGet(sizeBytes);
      fragmentsMoved.addAndGet(moved);
      LOG.debug("stream {}: {} of {} fragments moved into {} ({} bytes)", streamId, moved, chunk.size(), key,
          sizeBytes);
      return moved;
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  private void copy(List<Piece> chunk, Path spool, long sizeBytes) throws IOException {
    List<ObjectRange> ranges = new ArrayList<>(chunk.size());
    for (Piece p : chunk) {
      if (p.lengthBytes() > 0) {
        ranges.add(new ObjectRange(p.objectKey(), p.offset(), p.lengthBytes()));
      }
    }
    long copied;
    try (OutputStream out = Files.newOutputStream(spool)) {
      copied = ranges.isEmpty() ? 0 : reader.copyTo(ranges, out);
    }
    if (copied != sizeBytes) {
      throw new IOException("compaction read " + copied + " bytes, expected " + sizeBytes);
    }
  }

  private static InputStream open(Path spool) {
    try {
      return Files.newInputStream(spool);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one transaction that moves the chunk's rows still where they were copied from. */
  private int repoint(Connection c, long streamId, long objectId, List<Piece> chunk)
      throws SQLException, IOException {
    long nowMs = clock.millis();
    int moved = 0;
    TreeSet<Long> oldObjects = new TreeSet<>();
    try (PreparedStatement update = c.prepareStatement("UPDATE fragments SET object_id = ?, object_offset = ?"
        + " WHERE stream_id = ? AND sequence = ? AND object_id = ? AND object_offset = ? AND length_bytes = ?")) {
      long newOffset = 0;
      for (Piece p : chunk) {
        update.setLong(1, objectId);
        update.setLong(2, newOffset);
        update.setLong(3, streamId);
        update.setLong(4, p.sequence());
        update.setLong(5, p.objectId());
        update.setLong(6, p.offset());
        update.setLong(7, p.lengthBytes());
        update.addBatch();
        newOffset += p.lengthBytes();
        oldObjects.add(p.objectId());
      }
      for (int count : update.executeBatch()) {
        moved += Math.max(count, 0);
      }
    }
    ObjectLedger.markLive(c, objectId, moved > 0, nowMs);
    ObjectLedger.markUnreferencedIfUnused(c, oldObjects.toArray(new Long[0]), nowMs);
    return moved;
  }
}
