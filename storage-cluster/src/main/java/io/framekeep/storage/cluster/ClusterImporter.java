package io.framekeep.storage.cluster;

import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StorageLimitExceededException;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.StreamExistsException;
import io.framekeep.storage.StreamRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an archive copied from another backend into the cluster with its original identity: streams with
 * their ARN, creation time, version and status; fragments with their original sequence numbers (the KVS
 * fragment numbers clients already hold), timestamps, frame tables and payload bytes ({@code framekeep
 * migrate}).
 *
 * <p>Contract, per stream: {@link #openStream} creates the stream or finds the one a previous run created
 * (refusing a different stream of that name) and takes its lease, so no producer writes to it meanwhile;
 * {@link Target#commitObject} PUTs one per-stream object (kind {@code STREAM}, as compaction writes) and only
 * after the store acknowledged it commits the object row and the fragment rows in one transaction, fenced by
 * the lease like {@link BatchCommit}. Fragments must come in increasing sequence order, so
 * {@link Target#lastSequence()} after an interruption is exactly where to continue.
 *
 * <p>Object keys: {@code migrated/<streamId>/<firstSequence>-<lastSequence>}, a function of the content, so a
 * PUT repeated after an interrupted run replaces an object no row points into with the same bytes.
 *
 * <p>Thread safety: one importing thread per stream.
 */
public final class ClusterImporter {

  /**
   * 64 MiB: what one imported object may hold. Bounds the importer's memory (one object is buffered for the
   * PUT and its retries) while keeping object counts low; larger than one fragment's maximum (50 MiB).
   */
  public static final long MAX_OBJECT_BYTES = 64L << 20;

  /** 1 s beyond the TTL: covers clock steps between the lease's writer and us. */
  static final long LEASE_WAIT_SLACK_MS = 1_000;

  /** 250 ms between tries for a busy lease: a few database round trips per second at most. */
  static final long LEASE_RETRY_MS = 250;

  private final ClusterStorage storage;
  private final Clock clock;

  public ClusterImporter(ClusterStorage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /** One stream being imported, holding its lease until {@link #close()}. */
  public final class Target implements AutoCloseable {
    private final StreamRecord stream;
    private final Lease lease;
    private long lastSequence;

    private Target(StreamRecord stream, Lease lease) {
      this.stream = stream;
      this.lease = lease;
      this.lastSequence = lease.lastSequence();
    }

    /** The stream as the cluster stores it (its cluster stream id). */
    public StreamRecord stream() {
      return stream;
    }

    /** The highest sequence committed in the cluster for this stream (0: none). */
    public long lastSequence() {
      return lastSequence;
    }

    /** Stores a session header; returns its cluster header id (deduplicated by content). */
    public long putHeader(byte[] header) throws IOException {
      return storage.index().putHeader(stream.streamId(), header);
    }

    /** The committed fragment with this sequence, to compare with the source before skipping it. */
    public Optional<FragmentRecord> committed(long sequence) {
      return storage.index().bySequence(stream.streamId(), sequence);
    }

    /**
     * Stores {@code payload} as one object and then indexes {@code fragments} in it.
     *
     * @param fragments in increasing sequence order, all above {@link #lastSequence()}; {@code offset()} is
     *     the position in {@code payload}, {@code headerId()} a cluster header id from {@link #putHeader};
     *     their stream and segment ids are ignored
     * @throws LeaseLostException if another node took the stream; nothing is indexed then
     */
    public void commitObject(List<FragmentRecord> fragments, byte[] payload) throws IOException {
      if (fragments.isEmpty()) {
        return;
      }
      if (payload.length > MAX_OBJECT_BYTES) {
        throw new StorageLimitExceededException("MAX_OBJECT_BYTES", MAX_OBJECT_BYTES, payload.length);
      }
      long previous = lastSequence;
      for (FragmentRecord f : fragments) {
        if (f.sequence() <= previous) {
          throw new IllegalArgumentException("sequence " + f.sequence() + " is not above " + previous);
        }
        if (f.offset() < 0 || f.lengthBytes() < 0 || f.offset() + f.lengthBytes() > payload.length) {
          throw new IllegalArgumentException("fragment " + f.sequence() + " lies outside the payload");
        }
        if (f.frameTable().length > FragmentLog.MAX_FRAME_TABLE_BYTES) {
          throw new StorageLimitExceededException("MAX_FRAME_TABLE_BYTES", FragmentLog.MAX_FRAME_TABLE_BYTES,
              f.frameTable().length);
        }
        previous = f.sequence();
      }
      String key = "migrated/" + stream.streamId() + "/" + fragments.get(0).sequence() + "-" + previous;
      long createdMs = clock.millis();
      long objectId = ObjectLedger.recordIntent(storage.database(), key, payload.length, ObjectLedger.STREAM,
          stream.streamId(), createdMs);
      storage.objectStore().put(key, payload.length, () -> new ByteArrayInputStream(payload));
      long last = previous;
      storage.database().io("import commit", c -> {
        checkLease(c);
        ObjectLedger.markLive(c, objectId, true, clock.millis());
        insertFragments(c, objectId, fragments);
        Sql.update(c, "UPDATE streams SET last_sequence = GREATEST(last_sequence, ?) WHERE stream_id = ?",
            s -> {
              s.setLong(1, last);
              s.setLong(2, stream.streamId());
            });
        // Live readers on serving nodes learn of the rows as they learn of a batch commit's.
        Sql.query(c, "SELECT pg_notify(?, ?)",
            s -> {
              s.setString(1, CommitNotifications.CHANNEL);
              s.setString(2, lease.ownerNode() + " " + stream.streamId() + " " + last);
            },
            row -> null);
        return null;
      });
      lastSequence = last;
    }

    /** Locks the stream row (as {@link BatchCommit} does) and checks the lease is still ours at our epoch. */
    private void checkLease(Connection c) throws SQLException, LeaseLostException {
      List<Long> epoch = Sql.query(c, "SELECT l.epoch FROM streams s JOIN stream_leases l USING (stream_id)"
          + " WHERE s.stream_id = ? AND NOT s.deleted AND l.owner_node = ? FOR UPDATE OF s",
          s -> {
            s.setLong(1, stream.streamId());
            s.setString(2, lease.ownerNode());
          },
          row -> row.getLong(1));
      if (epoch.isEmpty() || epoch.get(0) != lease.epoch()) {
        throw new LeaseLostException(stream.streamId(), lease.epoch());
      }
    }

    private void insertFragments(Connection c, long objectId, List<FragmentRecord> fragments)
        throws SQLException {
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO fragments (stream_id, sequence,"
          + " producer_ms, server_ms, duration_ms, object_id, object_offset, length_bytes, header_id,"
          + " frame_table) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (FragmentRecord f : fragments) {
          insert.setLong(1, stream.streamId());
          insert.setLong(2, f.sequence());
          insert.setLong(3, f.producerTimestampMs());
          insert.setLong(4, f.serverTimestampMs());
          insert.setLong(5, f.durationMs());
          insert.setLong(6, objectId);
          insert.setLong(7, f.offset());
          insert.setLong(8, f.lengthBytes());
          insert.setLong(9, f.headerId());
          insert.setBytes(10, f.frameTable());
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }

    /** Releases the stream's lease so a node may ingest into it at once. */
    @Override
    public void close() throws IOException {
      storage.leases().release(lease);
    }
  }

  /**
   * Creates the stream as {@code source} describes it (its stream id ignored), or finds the live stream of that
   * name that a previous import created, and takes its lease.
   *
   * @throws StreamConflictException if a live stream of that name differs from {@code source} in any field or
   *     tag: an import never overwrites another stream
   * @throws io.framekeep.storage.StreamBusyException if a node holds the stream's lease (a producer is writing)
   */
  public Target openStream(StreamRecord source, Map<String, String> tags) throws IOException {
    PgStreamCatalog catalog = storage.catalog();
    StreamRecord stream;
    Optional<StreamRecord> existing = catalog.byName(source.name());
    if (existing.isPresent()) {
      stream = existing.get();
      String difference = difference(source, stream, tags, catalog.tags(stream.streamId()));
      if (difference != null) {
        throw new StreamConflictException(source.name(), difference + " differs");
      }
    } else {
      try {
        stream = catalog.create(source, tags);
      } catch (StreamExistsException e) {
        throw new StreamConflictException(source.name(), "being created by another process at the same time");
      }
    }
    return new Target(stream, acquire(stream.streamId()));
  }

  /**
   * The stream's lease, waiting up to one lease TTL for another holder's to expire: after an import killed
   * mid-stream, its lease outlives it by up to the TTL, and the rerun (another node id) should not fail for it.
   * A producer still writing renews its lease, so it is still refused after the wait.
   */
  private Lease acquire(long streamId) throws IOException {
    long deadlineMs = clock.millis() + storage.leases().ttlMs() + LEASE_WAIT_SLACK_MS;
    while (true) {
      try {
        return storage.leases().acquire(streamId);
      } catch (io.framekeep.storage.StreamBusyException e) {
        if (clock.millis() >= deadlineMs) {
          throw e;
        }
        try {
          Thread.sleep(LEASE_RETRY_MS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted waiting for the lease of stream " + streamId);
        }
      }
    }
  }

  /** The first field in which the two streams differ, or null if they are the same stream. */
  static String difference(StreamRecord a, StreamRecord b, Map<String, String> tagsA, Map<String, String> tagsB) {
    Object[][] fields = {
        {"arn", a.arn(), b.arn()},
        {"device name", a.deviceName(), b.deviceName()},
        {"media type", a.mediaType(), b.mediaType()},
        {"KMS key", a.kmsKeyId(), b.kmsKeyId()},
        {"version", a.version(), b.version()},
        {"status", a.status(), b.status()},
        {"creation time", a.creationTimeMs(), b.creationTimeMs()},
        {"retention", a.dataRetentionHours(), b.dataRetentionHours()},
        {"storage tier", a.storageTier(), b.storageTier()},
        {"tag set", new java.util.TreeMap<>(tagsA), new java.util.TreeMap<>(tagsB)}};
    for (Object[] field : fields) {
      if (!java.util.Objects.equals(field[1], field[2])) {
        return (String) field[0];
      }
    }
    return null;
  }

  /** Whether a committed cluster fragment is the same fragment as a source one (location and header aside). */
  public static boolean sameFragment(FragmentRecord a, FragmentRecord b) {
    return a.sequence() == b.sequence() && a.producerTimestampMs() == b.producerTimestampMs()
        && a.serverTimestampMs() == b.serverTimestampMs() && a.durationMs() == b.durationMs()
        && a.lengthBytes() == b.lengthBytes() && Arrays.equals(a.frameTable(), b.frameTable());
  }
}
