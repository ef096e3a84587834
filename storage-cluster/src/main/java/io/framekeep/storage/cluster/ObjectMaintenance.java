package io.framekeep.storage.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's background object maintenance: every {@link MaintenanceConfig#intervalMs()} one {@link Compactor}
 * pass, then one {@link ObjectCollector} pass, on one daemon thread. Every node runs it; PostgreSQL shares the
 * work out (claims, {@code SKIP LOCKED}). A failed pass is logged and the next one starts afresh: each step
 * leaves the ledger consistent.
 *
 * <p>Thread safety: {@link #close} and the counters from any thread.
 */
public final class ObjectMaintenance implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectMaintenance.class);

  private final Compactor compactor;
  private final ObjectCollector collector;
  private final ScheduledExecutorService thread;

  ObjectMaintenance(Compactor compactor, ObjectCollector collector, long intervalMs) {
    this.compactor = compactor;
    this.collector = collector;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "framekeep-object-maintenance");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::runPass, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  private void runPass() {
    try {
      int written = compactor.runPass();
      ObjectCollector.Pass pass = collector.runPass();
      if (written > 0 || pass.deleted() > 0) {
        LOG.info("object maintenance: {} objects compacted, {} unreferenced, {} deleted ({} orphans)", written,
            pass.unreferenced(), pass.deleted(), pass.orphans());
      }
    } catch (Exception e) {
      LOG.warn("object maintenance pass failed: {}", e.getMessage());
    }
  }

  /** Per-stream objects this node wrote by compaction. */
  public long objectsCompacted() {
    return compactor.objectsWritten();
  }

  /** Payload bytes this node copied by compaction. */
  public long bytesRewritten() {
    return compactor.bytesRewritten();
  }

  /** Objects this node deleted from the bucket. */
  public long objectsDeleted() {
    return collector.objectsDeleted();
  }

  /** Stops after the pass in progress, if any (waiting up to a minute for it). */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
