package io.framekeep.storage.cluster;

import io.framekeep.storage.StorageLimitExceededException;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@link FragmentAppender} of the cluster backend: the pending fragment is held in memory
 * ({@link ChunkedBytes}); {@link #commitAsync} seals it into the node's {@link BatchWriter}, whose flush makes it
 * durable (object PUT, then the fenced index commit). Holds the stream's {@link Lease} while open: fragment
 * numbers continue from the lease's {@code lastSequence}, and are unique cluster-wide because only the lease
 * holder's commits are accepted.
 *
 * <p>After the first failure (object store, database, lease lost, stream deleted) every later commit fails
 * with the same exception, as the interface requires.
 *
 * <p>Thread safety: one ingest thread at a time, as the interface says; {@link #fail} and {@link #failure} may
 * be called by the writer's threads.
 */
public final class ClusterFragmentAppender implements FragmentAppender {

  private final ClusterIngest ingest;
  private final BatchWriter writer;
  private volatile Lease lease;
  private volatile IOException failure;
  private ChunkedBytes pending = new ChunkedBytes();
  private long nextSequence;
  private CompletableFuture<FragmentRecord> last = CompletableFuture.completedFuture(null);
  private boolean closed;

  ClusterFragmentAppender(ClusterIngest ingest, BatchWriter writer, Lease lease) {
    this.ingest = ingest;
    this.writer = writer;
    this.lease = lease;
    this.nextSequence = lease.lastSequence() + 1;
  }

  public long streamId() {
    return lease.streamId();
  }

  Lease lease() {
    return lease;
  }

  void renewed(Lease renewed) {
    lease = renewed;
  }

  /** The first failure of this session, or null. */
  IOException failure() {
    return failure;
  }

  /** Records the first failure; later commits fail with it. */
  void fail(IOException cause) {
    if (failure == null) {
      failure = cause;
    }
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    ensureOpen();
    long after = pending.size() + bytes.remaining();
    if (after > FragmentLog.MAX_FRAGMENT_BYTES) {
      throw new StorageLimitExceededException("MAX_FRAGMENT_BYTES", FragmentLog.MAX_FRAGMENT_BYTES, after);
    }
    pending.append(bytes);
  }

  @Override
  public long pendingBytes() {
    return pending.size();
  }

  @Override
  public void readPending(long offset, ByteBuffer dst) throws IOException {
    pending.read(offset, dst);
  }

  @Override
  public CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata) throws IOException {
    ensureOpen();
    if (pending.size() == 0) {
      throw new IllegalStateException("no pending fragment to commit");
    }
    if (metadata.frameTable().length > FragmentLog.MAX_FRAME_TABLE_BYTES) {
      throw new StorageLimitExceededException("MAX_FRAME_TABLE_BYTES", FragmentLog.MAX_FRAME_TABLE_BYTES,
          metadata.frameTable().length);
    }
    ChunkedBytes sealed = pending;
    pending = new ChunkedBytes();
    long sequence = nextSequence++;
    IOException earlier = failure;
    if (earlier != null) {
      return last = CompletableFuture.failedFuture(earlier);
    }
    BatchEntry entry = new BatchEntry(this, lease.streamId(), lease.epoch(), sequence, sealed, metadata);
    writer.append(entry);
    return last = entry.done;
  }

  @Override
  public long nextSequence() {
    return nextSequence;
  }

  @Override
  public void discard() {
    pending = new ChunkedBytes();
  }

  /** Waits for the sealed fragments, releases the lease (best effort) and the stream. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    pending = new ChunkedBytes();
    try {
      last.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // already reported through the fragment's future
    } finally {
      ingest.closed(this);
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("appender of stream " + lease.streamId() + " is closed");
    }
  }
}
