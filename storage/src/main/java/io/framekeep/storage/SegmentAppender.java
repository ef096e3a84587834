package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the fragments of one ingest session to the active segment of a stream (format: {@link SegmentStore}).
 *
 * <p>The file always has the shape {@code [committed fragments][sealed fragments][pending bytes]}: pending bytes
 * are written at {@code sealedEndBytes + pendingBytes}; {@link #commitAsync} seals them (the next fragment may be
 * written at once) and hands them to this appender's {@link CommitPipeline}, which fsyncs the file and then
 * commits the index rows (group-committed with other streams' rows by {@link GroupCommitter});
 * {@link #discard} truncates back to {@code sealedEndBytes}. At most {@link #MAX_UNFINISHED_FRAGMENTS} sealed
 * fragments wait for durability; the next seal waits for the oldest. A new
 * segment is started when a fragment begins while the active one holds at least
 * {@link StorageOptions#maxSegmentBytes()}, or when the newest segment cannot be appended to as is (it holds no
 * committed fragment but has bytes, or is shorter than its committed fragments).
 *
 * <p>Thread safety: used by one thread at a time; {@link SegmentStore.StreamSegments#appenderOpen} guarantees
 * a single appender per stream.
 */
final class SegmentAppender implements FragmentAppender {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentAppender.class);
  /**
   * Sealed fragments that may wait for durability at once. One fsync round covers all of them, so a few suffice
   * to keep the disk busy while the session receives; more would only hold more unacknowledged data.
   */
  static final int MAX_UNFINISHED_FRAGMENTS = 8;

  private final long streamId;
  private final Database database;
  private final SegmentStore segments;
  private final SegmentStore.StreamSegments state;
  private final GroupCommitter committer;
  private final long maxSegmentBytes;
  private final CommitPipeline pipeline;
  private FileChannel channel;
  private long segmentId;
  /** End of the sealed fragments in the active segment: where the pending fragment starts. */
  private long sealedEndBytes;
  private long pendingBytes;
  /** The sequence number the next seal will get; read from the catalogue on first use. */
  private long nextSequence;
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
    this.pipeline = new CommitPipeline(streamId, committer);
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
      sealedEndBytes = end;
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
    if (pendingBytes == 0 && (rollRequired || sealedEndBytes >= maxSegmentBytes)) {
      roll();
    }
    while (bytes.hasRemaining()) {
      pendingBytes += channel.write(bytes, sealedEndBytes + pendingBytes);
    }
  }

  private void roll() throws IOException {
    // The sealed fragments of the active segment are fsync'd through its channel, which attach() closes.
    pipeline.awaitBelow(0);
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
  public CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata) throws IOException {
    ensureOpen();
    if (pendingBytes == 0) {
      throw new IllegalStateException("no pending fragment to commit");
    }
    byte[] frameTable = metadata.frameTable();
    if (frameTable.length > FragmentLog.MAX_FRAME_TABLE_BYTES) {
      throw new StorageLimitExceededException("MAX_FRAME_TABLE_BYTES", FragmentLog.MAX_FRAME_TABLE_BYTES,
          frameTable.length);
    }
    long sequence = nextSequence();
    pipeline.awaitBelow(MAX_UNFINISHED_FRAGMENTS - 1);
    CompletableFuture<FragmentRecord> done = new CompletableFuture<>();
    pipeline.submit(new CommitPipeline.Sealed(channel, segmentId, sealedEndBytes, pendingBytes, metadata,
        sequence, done));
    sealedEndBytes += pendingBytes;
    pendingBytes = 0;
    nextSequence = sequence + 1;
    return done;
  }

  @Override
  public void readPending(long offset, ByteBuffer dst) throws IOException {
    ensureOpen();
    if (offset < 0 || offset + dst.remaining() > pendingBytes) {
      throw new java.io.EOFException("bytes " + offset + ".." + (offset + dst.remaining())
          + " pass the " + pendingBytes + " pending bytes");
    }
    long position = sealedEndBytes + offset;
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
    if (nextSequence > 0) {
      return nextSequence;
    }
    List<Long> last = database.io("next sequence", c -> Database.query(c,
        "SELECT last_sequence FROM streams WHERE stream_id = ? AND deleted = 0",
        s -> s.setLong(1, streamId), row -> row.getLong(1)));
    if (last.isEmpty()) {
      throw new NoSuchFileException("stream " + streamId + " was deleted");
    }
    nextSequence = last.get(0) + 1;
    return nextSequence;
  }

  @Override
  public void discard() throws IOException {
    ensureOpen();
    if (pendingBytes == 0) {
      return;
    }
    channel.truncate(sealedEndBytes);
    pendingBytes = 0;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // Sealed fragments finish (durable or failed) before the channel they are fsync'd through closes.
      pipeline.close();
    } finally {
      closeChannel();
    }
  }

  /**
   * Truncates what is not durable, closes the segment and releases the stream: the pending bytes, and after
   * a durability failure also the sealed fragments that failed (down to the end of the indexed fragments of
   * the active segment), so no unindexed bytes stay behind until the next appender's open.
   */
  private void closeChannel() throws IOException {
    try {
      if (channel != null) {
        try {
          long keep = pipeline.failed()
              ? SqliteFragmentLog.committedEnd(database, streamId, segmentId).orElse(0) : sealedEndBytes;
          if (channel.size() > keep) {
            channel.truncate(keep);
          }
          pendingBytes = 0;
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
