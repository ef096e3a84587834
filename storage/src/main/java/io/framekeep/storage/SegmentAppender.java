package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the fragments of one ingest session to the active segment of a stream (format: {@link SegmentStore}).
 *
 * <p>The file always has the shape {@code [committed fragments][pending bytes]}: pending bytes are written at
 * {@code committedEndBytes + pendingBytes}; {@link #commit} fsyncs the file and then commits the index row
 * (group-committed with other streams' rows by {@link GroupCommitter}), after
 * which the pending bytes become committed; {@link #discard} truncates back to {@code committedEndBytes}. A new
 * segment is started when a fragment begins while the active one holds at least
 * {@link StorageOptions#maxSegmentBytes()}, or when the newest segment cannot be appended to as is (it holds no
 * committed fragment but has bytes, or is shorter than its committed fragments).
 *
 * <p>Thread safety: used by one thread at a time; {@link SegmentStore.StreamSegments#appenderOpen} guarantees
 * a single appender per stream.
 */
final class SegmentAppender implements FragmentAppender {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentAppender.class);

  private final long streamId;
  private final Database database;
  private final SegmentStore segments;
  private final SegmentStore.StreamSegments state;
  private final GroupCommitter committer;
  private final long maxSegmentBytes;
  private FileChannel channel;
  private long segmentId;
  private long committedEndBytes;
  private long pendingBytes;
  /** Set when the active segment cannot be appended to safely, so the next fragment starts a new one. */
  private boolean rollRequired;
  private boolean closed;

  private SegmentAppender(long streamId, Database database, SegmentStore segments,
      SegmentStore.StreamSegments state, GroupCommitter committer, long maxSegmentBytes) {
    this.committer = committer;
    this.streamId = streamId;
    this.database = database;
    this.segments = segments;
    this.state = state;
    this.maxSegmentBytes = maxSegmentBytes;
  }

  /** Claims the stream and opens its newest segment, truncating anything beyond its committed end. */
  static SegmentAppender open(long streamId, Database database, SegmentStore segments, GroupCommitter committer,
      StorageOptions options) throws IOException {
    SegmentStore.StreamSegments state = segments.state(streamId);
    long segmentId;
    synchronized (state) {
      if (state.deleted) {
        throw new NoSuchFileException("stream " + streamId + " was deleted");
      }
      if (state.appenderOpen) {
        throw new StreamBusyException(streamId);
      }
      segmentId = state.newestSegmentId > 0 ? state.newestSegmentId : segments.createNextSegment(state);
      state.appenderOpen = true;
    }
    SegmentAppender appender =
        new SegmentAppender(streamId, database, segments, state, committer, options.maxSegmentBytes());
    try {
      appender.attach(segmentId);
      return appender;
    } catch (IOException | RuntimeException e) {
      appender.close();
      throw e;
    }
  }

  private void attach(long newSegmentId) throws IOException {
    FileChannel opened = FileChannel.open(segments.segmentPath(streamId, newSegmentId), StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    try {
      OptionalLong committed = SqliteFragmentLog.committedEnd(database, streamId, newSegmentId);
      long end = committed.orElse(0);
      long size = opened.size();
      if (committed.isEmpty() && size > 0) {
        // Retention removed every fragment of this segment: leave its bytes to be reclaimed once it is no
        // longer the newest rather than overwrite them under readers that may still hold old records.
        LOG.debug("stream {} segment {}: holds no committed fragment; next fragment starts a new segment",
            streamId, newSegmentId);
        rollRequired = true;
      } else if (size > end) {
        LOG.warn("stream {} segment {}: truncating {} uncommitted bytes ({} -> {})",
            streamId, newSegmentId, size - end, size, end);
        opened.truncate(end);
        opened.force(true);
      } else if (size < end) {
        LOG.error("stream {} segment {}: file has {} bytes but committed fragments end at {}; "
            + "starting a new segment", streamId, newSegmentId, size, end);
        rollRequired = true;
      }
      if (channel != null) {
        channel.close();
      }
      channel = opened;
      segmentId = newSegmentId;
      committedEndBytes = end;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    ensureOpen();
    long remaining = bytes.remaining();
    if (pendingBytes + remaining > FragmentLog.MAX_FRAGMENT_BYTES) {
      throw new StorageLimitExceededException("MAX_FRAGMENT_BYTES", FragmentLog.MAX_FRAGMENT_BYTES,
          pendingBytes + remaining);
    }
    if (remaining == 0) {
      return;
    }
    if (pendingBytes == 0 && (rollRequired || committedEndBytes >= maxSegmentBytes)) {
      roll();
    }
    while (bytes.hasRemaining()) {
      pendingBytes += channel.write(bytes, committedEndBytes + pendingBytes);
    }
  }

  private void roll() throws IOException {
    long next;
    synchronized (state) {
      next = segments.createNextSegment(state);
    }
    attach(next);
    rollRequired = false;
    LOG.debug("stream {}: rolled to segment {}", streamId, next);
  }

  @Override
  public long pendingBytes() {
    return pendingBytes;
  }

  @Override
  public FragmentRecord commit(FragmentMetadata metadata) throws IOException {
    ensureOpen();
    if (pendingBytes == 0) {
      throw new IllegalStateException("no pending fragment to commit");
    }
    byte[] frameTable = metadata.frameTable();
    if (frameTable.length > FragmentLog.MAX_FRAME_TABLE_BYTES) {
      throw new StorageLimitExceededException("MAX_FRAME_TABLE_BYTES", FragmentLog.MAX_FRAME_TABLE_BYTES,
          frameTable.length);
    }
    // fdatasync: on Linux it also persists the file size, which is all the metadata a reader needs.
    channel.force(false);
    long offset = committedEndBytes;
    long length = pendingBytes;
    // The index row joins the next group commit (one SQLite transaction for all streams' waiting rows).
    Long sequence = committer.commit(streamId, metadata, segmentId, offset, length);
    if (sequence == null) {
      throw new NoSuchFileException("stream " + streamId + " was deleted");
    }
    committedEndBytes += length;
    pendingBytes = 0;
    return new FragmentRecord(streamId, sequence, metadata.producerTimestampMs(), metadata.serverTimestampMs(),
        metadata.durationMs(), segmentId, offset, length, metadata.headerId(), frameTable);
  }

  @Override
  public void readPending(long offset, ByteBuffer dst) throws IOException {
    ensureOpen();
    if (offset < 0 || offset + dst.remaining() > pendingBytes) {
      throw new java.io.EOFException("bytes " + offset + ".." + (offset + dst.remaining())
          + " pass the " + pendingBytes + " pending bytes");
    }
    long position = committedEndBytes + offset;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position);
      if (n < 0) {
        throw new java.io.EOFException("segment ended inside the pending fragment");
      }
      position += n;
    }
  }

  @Override
  public long nextSequence() throws IOException {
    ensureOpen();
    List<Long> last = database.io("next sequence", c -> Database.query(c,
        "SELECT last_sequence FROM streams WHERE stream_id = ? AND deleted = 0",
        s -> s.setLong(1, streamId), row -> row.getLong(1)));
    if (last.isEmpty()) {
      throw new NoSuchFileException("stream " + streamId + " was deleted");
    }
    return last.get(0) + 1;
  }

  @Override
  public void discard() throws IOException {
    ensureOpen();
    if (pendingBytes == 0) {
      return;
    }
    channel.truncate(committedEndBytes);
    pendingBytes = 0;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (channel != null) {
        try {
          if (pendingBytes > 0) {
            channel.truncate(committedEndBytes);
            pendingBytes = 0;
          }
        } finally {
          channel.close();
        }
      }
    } finally {
      synchronized (state) {
        state.appenderOpen = false;
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("appender of stream " + streamId + " is closed");
    }
  }
}
