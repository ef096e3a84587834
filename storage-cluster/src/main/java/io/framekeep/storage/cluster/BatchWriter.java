package io.framekeep.storage.cluster;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the sealed fragments of every stream on this node into one batch and writes each batch as ONE
 * object, so the number of PUTs per node does not grow with the number of streams. A batch is flushed when it
 * holds {@code flushBytes} or {@code flushIntervalMs} after its first fragment arrived, whichever comes first.
 *
 * <p>A flush: record the object in the ledger as PENDING ({@link ObjectLedger#recordIntent}, one short
 * transaction), PUT the object (up to {@code maxFlushesInFlight} uploads run at once), then — strictly in batch
 * order, on one commit thread — commit the batch's index rows in one fenced transaction ({@link BatchCommit}),
 * and only then complete the fragments' futures (the PERSISTED ack). So a fragment is acknowledged only when
 * its bytes are in an object the store acknowledged AND its row is committed; and per stream, futures complete
 * in seal order. If the PUT or the commit fails, every fragment of the batch fails (nothing is acked); an entry
 * whose appender already failed fails with the same error rather than committing after a gap.
 *
 * <p>Object keys: {@code shared/yyyy/MM/dd/HH/<nodeId>-<createdMs>-<n>}. An object whose commit failed stays in
 * the bucket, PENDING in the ledger (the commit may in fact have succeeded when the connection broke during
 * COMMIT, so it is never deleted here); the {@link ObjectCollector} deletes it after the settle period.
 *
 * <p>Back-pressure: {@link #append} blocks while more than {@code maxBufferedBytes} are waiting (batched or
 * being flushed), so memory stays bounded when the store or the database is slow.
 *
 * <p>Thread safety: {@link #append} may be called from any number of threads.
 */
public final class BatchWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  /** 4 uploads at once: enough to keep an 8 MiB-per-80-ms flow moving when one PUT takes 300 ms. */
  public static final int DEFAULT_MAX_FLUSHES_IN_FLIGHT = 4;

  /**
   * 128 MiB of waiting fragments per node: above two maximal (50 MiB) fragments and several full batches, and
   * a bound on what an object-store outage can make a node hold before producers are slowed down.
   */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 128L << 20;

  private final ObjectStore store;
  private final ClusterDatabase database;
  private final BatchCommit commit;
  private final Clock clock;
  private final String nodeId;
  private final long flushIntervalNanos;
  private final long flushBytes;
  private final long maxBufferedBytes;
  private final Semaphore flushSlots;
  private final ExecutorService uploads;
  private final ExecutorService commits;
  private final Thread flusher;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicLong objectCounter = new AtomicLong();
  private final AtomicLong putCount = new AtomicLong();
  private Batch open = new Batch();
  private long bufferedBytes;
  private boolean closing;

  public BatchWriter(ObjectStore store, ClusterDatabase database, Clock clock, String nodeId,
      long flushIntervalMs, long flushBytes, int maxFlushesInFlight, long maxBufferedBytes) {
    if (flushIntervalMs <= 0 || flushBytes <= 0 || maxFlushesInFlight <= 0 || maxBufferedBytes <= 0) {
      throw new IllegalArgumentException("flush settings must be positive");
    }
    this.store = store;
    this.database = database;
    this.commit = new BatchCommit(database, nodeId);
    this.clock = clock;
    this.nodeId = nodeId;
    this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(flushIntervalMs);
    this.flushBytes = flushBytes;
    this.maxBufferedBytes = maxBufferedBytes;
    this.flushSlots = new Semaphore(maxFlushesInFlight);
    this.uploads = Executors.newFixedThreadPool(maxFlushesInFlight, daemon("framekeep-batch-upload"));
    this.commits = Executors.newSingleThreadExecutor(daemon("framekeep-batch-commit"));
    this.flusher = daemon("framekeep-batch-flush").newThread(this::flushLoop);
    this.flusher.start();
  }

  /** A writer with the configured flush settings and the default concurrency and memory bounds. */
  public static BatchWriter create(ObjectStore store, ClusterDatabase database, Clock clock, ClusterConfig config) {
    return new BatchWriter(store, database, clock, config.nodeId(), config.flushIntervalMs(), config.flushBytes(),
        DEFAULT_MAX_FLUSHES_IN_FLIGHT, DEFAULT_MAX_BUFFERED_BYTES);
  }

  /**
   * Adds a sealed fragment to the open batch; its future completes when the fragment is persisted. Blocks while
   * the node's waiting bytes exceed the bound (a fragment larger than the bound waits until nothing else does).
   */
  void append(BatchEntry entry) throws IOException {
    lock.lock();
    try {
      while (!closing && bufferedBytes > 0 && bufferedBytes + entry.lengthBytes() > maxBufferedBytes) {
        changed.await();
      }
      if (closing) {
        throw new IOException("batch writer closed");
      }
      bufferedBytes += entry.lengthBytes();
      open.add(entry, System.nanoTime());
      changed.signalAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for batch space");
    } finally {
      lock.unlock();
    }
  }

  /** Objects written (PUTs acknowledged) since start. */
  public long putCount() {
    return putCount.get();
  }

  private void flushLoop() {
    while (true) {
      Batch batch;
      lock.lock();
      try {
        while (!due()) {
          if (closing && open.isEmpty()) {
            return;
          }
          if (open.isEmpty()) {
            changed.await();
          } else {
            changed.awaitNanos(open.firstEntryNanos + flushIntervalNanos - System.nanoTime());
          }
        }
        batch = open;
        open = new Batch();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      flushSlots.acquireUninterruptibly();
      flush(batch);
    }
  }

  /** Caller holds the lock. */
  private boolean due() {
    return !open.isEmpty() && (closing || open.sizeBytes >= flushBytes
        || System.nanoTime() - open.firstEntryNanos >= flushIntervalNanos);
  }

  private void flush(Batch batch) {
    long createdMs = clock.millis();
    String key = objectKey(createdMs);
    CompletableFuture<Long> uploaded = CompletableFuture.supplyAsync(() -> {
      try {
        long objectId = ObjectLedger.recordIntent(database, key, batch.sizeBytes, ObjectLedger.SHARED, null,
            createdMs);
        store.put(key, batch.sizeBytes, batch::content);
        putCount.incrementAndGet();
        return objectId;
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, uploads);
    commits.execute(() -> {
      try {
        commitAndComplete(key, uploaded.join(), batch);
      } catch (java.util.concurrent.CompletionException e) {
        IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        LOG.warn("flush of {} fragments ({} bytes) failed: {}", batch.entries.size(), batch.sizeBytes,
            cause.getMessage());
        batch.entries.forEach(entry -> fail(entry, cause));
      } finally {
        release(batch);
        flushSlots.release();
      }
    });
  }

  private void commitAndComplete(String key, long objectId, Batch batch) {
    List<BatchEntry> live = new ArrayList<>(batch.entries.size());
    for (BatchEntry entry : batch.entries) {
      IOException earlier = entry.appender.failure();
      if (earlier != null) {
        fail(entry, earlier);
      } else {
        live.add(entry);
      }
    }
    BatchCommit.Outcome outcome;
    try {
      outcome = commit.commit(objectId, clock.millis(), live);
    } catch (IOException e) {
      LOG.warn("commit of {} fragments in {} failed: {}", live.size(), key, e.getMessage());
      live.forEach(entry -> fail(entry, e));
      return;
    }
    for (BatchEntry entry : live) {
      IOException refused = outcome.refused().get(entry);
      if (refused != null) {
        fail(entry, refused);
      } else {
        entry.done.complete(entry.record(outcome.objectId()));
      }
    }
    logRefusals(outcome.refused());
  }

  private static void logRefusals(Map<BatchEntry, IOException> refused) {
    if (!refused.isEmpty()) {
      LOG.warn("{} fragments refused at commit, first: {}", refused.size(),
          refused.values().iterator().next().getMessage());
    }
  }

  private static void fail(BatchEntry entry, IOException cause) {
    entry.appender.fail(cause);
    entry.done.completeExceptionally(cause);
  }

  private void release(Batch batch) {
    lock.lock();
    try {
      bufferedBytes -= batch.sizeBytes;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private String objectKey(long createdMs) {
    ZonedDateTime t = java.time.Instant.ofEpochMilli(createdMs).atZone(ZoneOffset.UTC);
    return String.format("shared/%04d/%02d/%02d/%02d/%s-%d-%d", t.getYear(), t.getMonthValue(),
        t.getDayOfMonth(), t.getHour(), nodeId, createdMs, objectCounter.incrementAndGet());
  }

  /** Flushes what is batched, waits for every flush to finish, and stops the threads. */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      flusher.join();
      commits.shutdown();
      commits.awaitTermination(1, TimeUnit.MINUTES);
      uploads.shutdown();
      uploads.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
