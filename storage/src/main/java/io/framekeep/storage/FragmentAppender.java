package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes the fragments of one ingest session to a stream's active segment. A fragment is first pending (its
 * bytes are in the segment file but not indexed) and becomes visible and durable only through
 * {@link #commit}. Fragments never span segment files: when the active segment has reached the configured size,
 * the next fragment starts a new one.
 *
 * <p>Thread safety: one appender is used by one thread at a time (the ingest session). Appenders of different
 * streams run concurrently; only the index commit is serialized.
 *
 * <p>Failure: after any {@link IOException} the pending fragment should be discarded (or the appender closed);
 * committed fragments are unaffected.
 */
public interface FragmentAppender extends AutoCloseable {

  /**
   * Appends bytes of the pending (uncommitted) fragment to the stream's active segment. Bytes may arrive in
   * many pieces. Consumes all remaining bytes of the buffer.
   *
   * @throws StorageLimitExceededException if the pending fragment would exceed
   *     {@link FragmentLog#MAX_FRAGMENT_BYTES}; nothing of this call is written then
   */
  void write(ByteBuffer bytes) throws IOException;

  /** Bytes of the pending fragment written so far. */
  long pendingBytes();

  /**
   * Reads back {@code dst.remaining()} bytes of the pending fragment starting {@code offset} bytes
   * into it (written but not yet committed; served from the page cache). Lets the ingest path
   * inspect frames before the fragment's index row is committed.
   *
   * @throws java.io.EOFException if the range passes the pending bytes
   */
  void readPending(long offset, ByteBuffer dst) throws IOException;

  /**
   * Makes the pending fragment durable — fsync of the segment file (FileChannel.force) THEN the index row
   * committed in SQLite — and returns its record with the next per-stream sequence number (1, 2, 3, ...
   * increasing in commit order, never reused even after deletes). Only after this returns may the server ack
   * PERSISTED.
   *
   * @throws IllegalStateException if nothing is pending
   * @throws java.nio.file.NoSuchFileException if the stream was deleted meanwhile
   * @throws StorageLimitExceededException if the frame table exceeds {@link FragmentLog#MAX_FRAME_TABLE_BYTES}
   */
  FragmentRecord commit(FragmentMetadata metadata) throws IOException;

  /**
   * The sequence number the next {@link #commit} will assign. Stable while this appender is open,
   * because an appender holds its stream exclusively; lets the ingest path name a fragment in its
   * first ack, before the fragment is complete.
   */
  long nextSequence() throws IOException;

  /** Drops the pending bytes (truncates the segment back). */
  void discard() throws IOException;

  /** Discards anything pending and releases the stream for the next appender. Idempotent. */
  @Override
  void close() throws IOException;
}
