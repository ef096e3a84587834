package io.framekeep.storage.cluster;

import io.framekeep.storage.StreamBusyException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;

/**
 * Per-stream ingest ownership in the {@code stream_leases} table: one node at a time may append to a stream
 * (KVS allows one PutMedia connection per stream, cluster-wide).
 *
 * <p>Protocol. {@link #acquire} locks the stream's row, then grants the lease if nobody holds it, if the holder's
 * lease has expired, or if the holder is this very node (a node re-acquiring after its own session failed; the
 * node's appender registry keeps one session per stream locally). Every grant increments the epoch. The
 * holder renews before expiry ({@link #renew}); {@link #release} ends it early. {@link BatchCommit} locks the
 * same stream rows and refuses fragments whose epoch is not the current one, so once a lease moved on, the
 * old holder can never commit again, however long it was paused: this is fencing, and correctness depends on
 * nothing else (expiry and clocks only decide when a takeover is allowed, not whether data stays consistent).
 *
 * <p>Because acquire and commit both lock the stream row, a grant happens entirely before or after any commit
 * of the stream, so the {@link Lease#lastSequence} it reads includes every committed fragment.
 *
 * <p>Thread safety: any thread; each call is one transaction.
 */
public final class StreamLeases {

  private final ClusterDatabase database;
  private final String nodeId;
  private final Clock clock;
  private final long ttlMs;

  /**
   * @param nodeId this node's identity, unique per running process (see {@link ClusterConfig#nodeId})
   * @param ttlMs how long a grant or renewal lasts
   */
  public StreamLeases(ClusterDatabase database, String nodeId, Clock clock, long ttlMs) {
    if (ttlMs <= 0) {
      throw new IllegalArgumentException("ttlMs must be positive: " + ttlMs);
    }
    this.database = database;
    this.nodeId = nodeId;
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  public String nodeId() {
    return nodeId;
  }

  public long ttlMs() {
    return ttlMs;
  }

  /**
   * Grants this node the stream's lease.
   *
   * @throws io.framekeep.storage.StreamBusyException if another node holds an unexpired lease
   * @throws NoSuchFileException if the stream does not exist or is deleted
   * @throws IOException if the database fails
   */
  public Lease acquire(long streamId) throws IOException {
    long nowMs = clock.millis();
    Lease lease = database.io("acquire lease", c -> {
      List<Long> last = Sql.query(c, "SELECT last_sequence FROM streams WHERE stream_id = ? AND NOT deleted"
          + " FOR UPDATE", s -> s.setLong(1, streamId), row -> row.getLong(1));
      if (last.isEmpty()) {
        throw new NoSuchFileException("stream " + streamId);
      }
      List<Long> epoch = Sql.query(c, "INSERT INTO stream_leases (stream_id, owner_node, epoch, expires_at_ms)"
          + " VALUES (?, ?, 1, ?)"
          + " ON CONFLICT (stream_id) DO UPDATE SET owner_node = excluded.owner_node,"
          + " epoch = stream_leases.epoch + 1, expires_at_ms = excluded.expires_at_ms"
          + " WHERE stream_leases.expires_at_ms <= ? OR stream_leases.owner_node = excluded.owner_node"
          + " RETURNING epoch",
          s -> {
            s.setLong(1, streamId);
            s.setString(2, nodeId);
            s.setLong(3, nowMs + ttlMs);
            s.setLong(4, nowMs);
          },
          row -> row.getLong(1));
      return epoch.isEmpty() ? null : new Lease(streamId, nodeId, epoch.get(0), nowMs + ttlMs, last.get(0));
    });
    if (lease == null) {
      throw new StreamBusyException(streamId);
    }
    return lease;
  }

  /**
   * Extends the lease by the TTL from now.
   *
   * @throws LeaseLostException if the lease moved on (or the stream was deleted); the holder must stop
   */
  public Lease renew(Lease lease) throws IOException {
    long until = clock.millis() + ttlMs;
    int updated = database.io("renew lease", c -> Sql.update(c,
        "UPDATE stream_leases SET expires_at_ms = ? WHERE stream_id = ? AND owner_node = ? AND epoch = ?",
        s -> {
          s.setLong(1, until);
          s.setLong(2, lease.streamId());
          s.setString(3, lease.ownerNode());
          s.setLong(4, lease.epoch());
        }));
    if (updated == 0) {
      throw new LeaseLostException(lease.streamId(), lease.epoch());
    }
    return lease.renewedUntil(until);
  }

  /** Ends the lease now so another node may take the stream at once; a lease already lost is ignored. */
  public void release(Lease lease) throws IOException {
    database.io("release lease", c -> Sql.update(c,
        "UPDATE stream_leases SET expires_at_ms = 0 WHERE stream_id = ? AND owner_node = ? AND epoch = ?",
        s -> {
          s.setLong(1, lease.streamId());
          s.setString(2, lease.ownerNode());
          s.setLong(3, lease.epoch());
        }));
  }
}
