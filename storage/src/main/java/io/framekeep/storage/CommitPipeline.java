package io.framekeep.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background half of {@link SegmentAppender#commitAsync}: makes the sealed fragments of one appender durable
 * in seal order, on a thread of its own, while the ingest session goes on receiving the next fragment. One round
 * takes every fragment sealed so far, {@code fdatasync}s their segment file(s) once, then commits their index rows
 * through the {@link GroupCommitter}, and completes their futures in order; fragments sealed during a round wait
 * for the next one, so a fast producer pays one fsync pair per round rather than per fragment.
 *
 * <p>Durability order is unchanged: a fragment's bytes are on disk before its index row is committed, and its
 * future completes only after both. After a failure every fragment sealed later fails too (nothing is committed
 * out of order), so the session ends at the first fragment that is not durable.
 *
 * <p>Thread safety: {@link #submit} and {@link #awaitBelow} are called by the appender's one thread; rounds run on
 * the pipeline's thread; the state between them is guarded by this object's monitor.
 */
final class CommitPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(CommitPipeline.class);
  /** An idle pipeline gives its thread back after this long. */
  private static final long THREAD_KEEP_ALIVE_SECONDS = 30;

  /** A fragment whose bytes are written and whose metadata is final, waiting to be made durable. */
  record Sealed(FileChannel channel, long segmentId, long offset, long lengthBytes, FragmentMetadata metadata,
      long expectedSequence, CompletableFuture<FragmentRecord> done) {}

  private final long streamId;
  private final GroupCommitter committer;
  private final ThreadPoolExecutor thread;
  private final ArrayDeque<Sealed> waiting = new ArrayDeque<>();
  private int unfinished;
  private boolean running;
  private IOException failure;

  CommitPipeline(long streamId, GroupCommitter committer) {
    this.streamId = streamId;
    this.committer = committer;
    this.thread = new ThreadPoolExecutor(0, 1, THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "framekeep-commit-" + streamId);
          t.setDaemon(true);
          return t;
        });
  }

  /** Queues a sealed fragment; its future fails at once if an earlier one failed. */
  synchronized void submit(Sealed sealed) {
    if (failure != null) {
      sealed.done().completeExceptionally(failure);
      return;
    }
    waiting.add(sealed);
    unfinished++;
    if (!running) {
      running = true;
      thread.execute(this::rounds);
    }
  }

  /** Waits until at most {@code count} submitted fragments are unfinished (0: all are durable or failed). */
  synchronized void awaitBelow(int count) throws InterruptedIOException {
    while (unfinished > count) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for commits of stream " + streamId);
      }
    }
  }

  /** Whether a fragment failed to become durable (every later one failed with it). */
  synchronized boolean failed() {
    return failure != null;
  }

  /** Waits for everything submitted, then stops the thread. */
  void close() throws InterruptedIOException {
    try {
      awaitBelow(0);
    } finally {
      thread.shutdown();
    }
  }

  private void rounds() {
    while (true) {
      List<Sealed> round;
      synchronized (this) {
        if (waiting.isEmpty()) {
          running = false;
          return;
        }
        round = new ArrayList<>(waiting);
        waiting.clear();
      }
      IOException failed = makeDurable(round);
      synchronized (this) {
        if (failed != null && failure == null) {
          failure = failed;
          for (Sealed s : waiting) {
            s.done().completeExceptionally(failed);
          }
          unfinished -= waiting.size();
          waiting.clear();
        }
        unfinished -= round.size();
        notifyAll();
      }
    }
  }

  /** One round: fsync, then index rows, then futures in order. Returns the failure, if any. */
  private IOException makeDurable(List<Sealed> round) {
    synchronized (this) {
      if (failure != null) {
        round.forEach(s -> s.done().completeExceptionally(failure));
        return failure;
      }
    }
    try {
      Set<FileChannel> files = new LinkedHashSet<>();
      round.forEach(s -> files.add(s.channel()));
      for (FileChannel file : files) {
        // fdatasync: on Linux it also persists the file size, which is all the metadata a reader needs.
        file.force(false);
      }
      List<CompletableFuture<Long>> sequences = new ArrayList<>(round.size());
      for (Sealed s : round) {
        // Each row joins a group commit (one SQLite transaction for all streams' waiting rows), in order.
        sequences.add(committer.submit(streamId, s.metadata(), s.segmentId(), s.offset(), s.lengthBytes()));
      }
      for (int i = 0; i < round.size(); i++) {
        Sealed s = round.get(i);
        Long sequence = await(sequences.get(i));
        if (sequence == null) {
          throw new NoSuchFileException("stream " + streamId + " was deleted");
        }
        if (sequence != s.expectedSequence()) {
          LOG.error("stream {}: fragment committed as {} but announced as {}", streamId, sequence,
              s.expectedSequence());
        }
        s.done().complete(record(s, sequence));
      }
      return null;
    } catch (IOException e) {
      round.forEach(s -> s.done().completeExceptionally(e));
      return e;
    }
  }

  private static Long await(CompletableFuture<Long> sequence) throws IOException {
    try {
      return sequence.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while committing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("commit failed", e.getCause());
    }
  }

  private FragmentRecord record(Sealed s, long sequence) {
    FragmentMetadata m = s.metadata();
    return new FragmentRecord(streamId, sequence, m.producerTimestampMs(), m.serverTimestampMs(), m.durationMs(),
        s.segmentId(), s.offset(), s.lengthBytes(), m.headerId(), m.frameTable());
  }
}
