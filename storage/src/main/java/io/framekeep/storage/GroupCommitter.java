package io.framekeep.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of fragment index rows across all streams: one committer thread takes every row waiting at that
 * moment (at most {@link #MAX_BATCH_ROWS}) and commits them in one SQLite transaction, so N concurrent ingest
 * sessions pay for one WAL fsync instead of N. While a batch commits, the next one accumulates; an idle system
 * commits a lone row at once (no linger).
 *
 * <p>The segment bytes of a row are fsync'd before the row is submitted (see {@link CommitPipeline}):
 * fsyncs of distinct files run in parallel on the streams' pipeline threads and the
 * file system merges concurrent ones into a single journal commit, whereas the SQLite WAL is one file with one
 * writer, so that is the fsync worth grouping. The durability order is unchanged: payload on disk, then index
 * row.
 *
 * <p>Failure: if a batch transaction fails it is rolled back and its rows are retried one transaction each, so
 * one bad row fails only its own appender. Each caller waits for its own row's outcome.
 *
 * <p>Thread safety: {@link #submit} and {@link #putHeader} may be called from any number of threads;
 * {@link #close} drains what was submitted before it and stops the thread.
 */
final class GroupCommitter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

  /**
   * 256: one row is a few hundred bytes plus its frame table (typically a few KB), so a batch stays a few MB of
   * SQLite page writes, and 256 concurrent streams (beyond the 200 of the ingest benchmark) still share one
   * fsync per batch.
   */
  static final int MAX_BATCH_ROWS = 256;

  /** A write waiting for the next batch; {@code result} completes with null if the stream is gone. */
  sealed interface Job permits Row, HeaderRow {
    CompletableFuture<Long> result();
  }

  /** One fragment index row; its result is the fragment's sequence number. */
  record Row(long streamId, FragmentMetadata metadata, long segmentId, long offset, long lengthBytes,
      CompletableFuture<Long> result) implements Job {}

  /**
   * One MKV header, stored unless the stream already has it (same SHA-256); its result is the header id. Headers
   * join the batches too, so that many producers connecting at once share fsyncs instead of queueing one commit
   * each in front of every stream's fragments.
   */
  record HeaderRow(long streamId, String sha256, byte[] bytes, long createdMs, CompletableFuture<Long> result)
      implements Job {}

  private static final Row STOP = new Row(0, null, 0, 0, 0, null);

  private final Database database;
  private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Object submitLock = new Object();
  private boolean closed;
  /** Batches and rows committed, for tests and logs; written by the committer thread only. */
  private volatile long batches;
  private volatile long rows;

  GroupCommitter(Database database) {
    this.database = database;
    this.thread = new Thread(this::run, "framekeep-committer");
    thread.setDaemon(true);
  }

  /** Starts the committer thread; rows submitted before wait for it. */
  GroupCommitter start() {
    thread.start();
    return this;
  }

  /**
   * Stores an MKV header of a stream in the next batch, unless the stream has the same bytes already, and
   * returns its id once durable; null if the stream is deleted. An interrupt does not cut the wait short (the
   * row may commit anyway) but is kept.
   */
  Long putHeader(long streamId, String sha256, byte[] bytes, long createdMs) throws IOException {
    CompletableFuture<Long> id = new CompletableFuture<>();
    enqueue(new HeaderRow(streamId, sha256, bytes, createdMs, id));
    return await(id);
  }

  private static Long await(CompletableFuture<Long> sequence) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return sequence.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException("commit failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Queues a row without waiting. */
  CompletableFuture<Long> submit(long streamId, FragmentMetadata metadata, long segmentId, long offset,
      long lengthBytes) throws IOException {
    CompletableFuture<Long> sequence = new CompletableFuture<>();
    enqueue(new Row(streamId, metadata, segmentId, offset, lengthBytes, sequence));
    return sequence;
  }

  private void enqueue(Job job) throws IOException {
    synchronized (submitLock) {
      if (closed) {
        throw new IOException("storage is closed");
      }
      queue.add(job);
    }
  }

  long batches() {
    return batches;
  }

  long rows() {
    return rows;
  }

  private void run() {
    List<Job> batch = new ArrayList<>(MAX_BATCH_ROWS);
    while (true) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH_ROWS - 1);
      } catch (InterruptedException e) {
        LOG.error("committer interrupted; stopping");
        return;
      }
      boolean stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        commitBatch(batch);
      }
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  private void commitBatch(List<Job> batch) {
    List<Long> results;
    try {
      results = database.transaction(c -> {
        List<Long> out = new ArrayList<>(batch.size());
        for (Job job : batch) {
          out.add(job instanceof Row row ? insert(c, row) : insert(c, (HeaderRow) job));
        }
        return out;
      });
    } catch (SQLException | RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).result().completeExceptionally(new IOException("commit failed", e));
        return;
      }
      LOG.warn("group commit of {} rows failed; committing them one by one", batch.size(), e);
      for (Job job : batch) {
        commitBatch(List.of(job));
      }
      return;
    }
    batches++;
    rows += batch.size();
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.get(i));
    }
  }

  /** Inserts a header inside the batch transaction (or finds the same one); null if the stream is deleted. */
  private static Long insert(Connection c, HeaderRow header) throws SQLException {
    if (!SqliteFragmentLog.isLive(c, header.streamId())) {
      return null;
    }
    List<Long> existing = SqliteFragmentLog.headerId(c, header.streamId(), header.sha256());
    if (!existing.isEmpty()) {
      return existing.get(0);
    }
    return Database.query(c,
        "INSERT INTO headers (stream_id, sha256, bytes, created_ms) VALUES (?, ?, ?, ?) RETURNING header_id",
        s -> {
          s.setLong(1, header.streamId());
          s.setString(2, header.sha256());
          s.setBytes(3, header.bytes());
          s.setLong(4, header.createdMs());
        },
        row -> row.getLong(1)).get(0);
  }

  /** Inserts one row inside the batch transaction; null if the stream is deleted. */
  private static Long insert(Connection c, Row row) throws SQLException {
    List<Long> next = Database.query(c,
        "UPDATE streams SET last_sequence = last_sequence + 1 WHERE stream_id = ? AND deleted = 0"
            + " RETURNING last_sequence",
        s -> s.setLong(1, row.streamId()), r -> r.getLong(1));
    if (next.isEmpty()) {
      return null;
    }
    FragmentMetadata m = row.metadata();
    Database.update(c, "INSERT INTO fragments (" + SqliteFragmentLog.FRAGMENT_COLUMNS + ")"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s -> {
          s.setLong(1, row.streamId());
          s.setLong(2, next.get(0));
          s.setLong(3, m.producerTimestampMs());
          s.setLong(4, m.serverTimestampMs());
          s.setLong(5, m.durationMs());
          s.setLong(6, row.segmentId());
          s.setLong(7, row.offset());
          s.setLong(8, row.lengthBytes());
          s.setLong(9, m.headerId());
          s.setBytes(10, m.frameTable());
        });
    return next.get(0);
  }

  /** Commits what was submitted before this call, then stops the thread. */
  @Override
  public void close() throws IOException {
    synchronized (submitLock) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while draining commits");
    }
  }
}
