package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Writes the fragments of one ingest session. A fragment is first pending (its bytes are staged in the backend
 * but not indexed) and becomes visible and durable only through {@link #commitAsync}.
 *
 * <p>Durability contract, the same for every backend: the future of {@link #commitAsync} completes only when the
 * fragment's payload is durable in the media store AND its index row is committed after that; only then may
 * the server ack PERSISTED. How each backend meets it:
 * <ul>
 *   <li>embedded: pending bytes are appended to the stream's active segment file (fragments never span
 *       segment files; when the active segment has reached the configured size the next fragment starts a new
 *       one); sealed fragments are fsync'd, then their rows committed in SQLite, group-committed with other
 *       streams' ({@link GroupCommitter});
 *   <li>cluster (to come): pending bytes are staged in the node's current batch; a flush (by time or size)
 *       uploads the batch of all streams as one object, and after the object store acknowledged the PUT, the
 *       batch's index rows are committed in one PostgreSQL transaction, fenced by the stream's lease epoch. A
 *       batch that fails fails its fragments' futures and, by the ordering rule below, every later one of the
 *       session.
 * </ul>
 * The interface needs nothing more for the second: sealing is separate from durability, futures complete in
 * seal order, back-pressure is a {@link #commitAsync} that waits, and sequence numbers can be assigned by the
 * one appender a stream has (cluster-wide, under its lease).
 *
 * <p>Thread safety: one appender is used by one thread at a time (the ingest session). Appenders of different
 * streams run concurrently; only the index commit is serialized.
 *
 * <p>Failure: after any {@link IOException} the pending fragment should be discarded (or the appender closed);
 * committed fragments are unaffected.
 */
public interface FragmentAppender extends AutoCloseable {

  /**
   * Appends bytes to the pending (uncommitted) fragment. Bytes may arrive in many pieces. Consumes all
   * remaining bytes of the buffer.
   *
   * @throws StorageLimitExceededException if the pending fragment would exceed
   *     {@link FragmentLog#MAX_FRAGMENT_BYTES}; nothing of this call is written then
   */
  void write(ByteBuffer bytes) throws IOException;

  /** Bytes of the pending fragment written so far. */
  long pendingBytes();

  /**
   * Reads back {@code dst.remaining()} bytes of the pending fragment starting {@code offset} bytes
   * into it (written but not yet committed: from the page cache or the staged batch). Lets the ingest path
   * inspect frames before the fragment's index row is committed.
   *
   * @throws java.io.EOFException if the range passes the pending bytes
   */
  void readPending(long offset, ByteBuffer dst) throws IOException;

  /**
   * Seals the pending fragment and makes it durable in the background: payload durable in the media store
   * (embedded: fsync of the segment file) THEN the index row committed (embedded: SQLite), as the type's
   * documentation says. Returns once the fragment is sealed (the next
   * fragment may be written at once) with a future that completes with the fragment's record and the next
   * per-stream sequence number (1, 2, 3, ... increasing in commit order, never reused even after deletes) once
   * it is durable; only then may the server ack PERSISTED. Futures complete in seal order; after one fails, every
   * later one fails. May wait when many sealed fragments are not yet durable (back-pressure).
   *
   * <p>The future fails with {@link java.nio.file.NoSuchFileException} if the stream was deleted meanwhile, or
   * with the {@link IOException} of making the payload durable or of the commit.
   *
   * @throws IllegalStateException if nothing is pending
   * @throws StorageLimitExceededException if the frame table exceeds {@link FragmentLog#MAX_FRAME_TABLE_BYTES}
   */
  CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata) throws IOException;

  /**
   * {@link #commitAsync} and waits for durability: returns the record once the fragment is durable.
   *
   * @throws java.nio.file.NoSuchFileException if the stream was deleted meanwhile
   */
  default FragmentRecord commit(FragmentMetadata metadata) throws IOException {
    CompletableFuture<FragmentRecord> done = commitAsync(metadata);
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for durability");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("commit failed", e.getCause());
    }
  }

  /**
   * The sequence number the next {@link #commitAsync} will assign, counting the sealed fragments not yet
   * durable. Stable while this appender is open, because an appender holds its stream exclusively; lets the
   * ingest path name a fragment in its first ack, before the fragment is complete.
   */
  long nextSequence() throws IOException;

  /** Drops the pending bytes (embedded: truncates the segment back). */
  void discard() throws IOException;

  /**
   * Waits until every sealed fragment is durable (or failed), discards anything pending and releases the stream
   * for the next appender. Idempotent.
   */
  @Override
  void close() throws IOException;
}
