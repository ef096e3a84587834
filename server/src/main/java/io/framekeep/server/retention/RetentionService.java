package io.framekeep.server.retention;

import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.StreamCatalog;
import io.framekeep.storage.StreamRecord;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes archived fragments that have passed their stream's DataRetentionInHours (server time) and
 * reclaims the segment files no longer referenced (spec §1.5). A sweep runs once at {@link #start}
 * and then every {@link #SWEEP_INTERVAL_MS}; each reads the current retention of every stream, so an
 * UpdateDataRetention applies from the next sweep (and at once on the read paths, which filter with
 * {@link RetentionWindow}). A stream with retention 0 keeps nothing.
 *
 * <p>Thread-safety: sweeps run on one daemon thread; {@link #sweepNow} may be called from any thread
 * and is serialized with them. A failure on one stream is logged and the sweep goes on with the next.
 */
public final class RetentionService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);
  /**
   * 60 s: retention is counted in hours, so a minute of lag keeps at most 1/60 of an hour of extra
   * bytes on disk (reads hide them at once), while a sweep costs one indexed DELETE per stream.
   */
  public static final long SWEEP_INTERVAL_MS = 60_000;
  /** Streams read from the catalogue per page: bounds the memory of one sweep. */
  static final int STREAM_PAGE = 1000;

  private final StreamCatalog catalog;
  private final FragmentLog fragments;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  public RetentionService(StreamCatalog catalog, FragmentLog fragments, Clock clock) {
    this.catalog = catalog;
    this.fragments = fragments;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "framekeep-retention");
      t.setDaemon(true);
      return t;
    });
  }

  /** Schedules the first sweep now and the next ones every {@link #SWEEP_INTERVAL_MS}. */
  public void start() {
    timer.scheduleWithFixedDelay(this::sweepLogged, 0, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  /** Runs one sweep over every stream and returns the number of fragments deleted. */
  public synchronized long sweepNow() {
    long nowMs = clock.millis();
    long removed = 0;
    String after = null;
    while (true) {
      List<StreamRecord> page = catalog.list("", after, STREAM_PAGE);
      for (StreamRecord stream : page) {
        removed += sweep(stream, nowMs);
      }
      if (page.size() < STREAM_PAGE) {
        return removed;
      }
      after = page.get(page.size() - 1).name();
    }
  }

  private long sweep(StreamRecord stream, long nowMs) {
    long cutoffMs = RetentionWindow.sweepCutoffMs(stream.dataRetentionHours(), nowMs);
    try {
      long removed = fragments.deleteOlderThan(stream.streamId(), cutoffMs);
      if (removed > 0) {
        LOG.info("retention: deleted {} fragments of stream {} older than {} h", removed,
            stream.name(), stream.dataRetentionHours());
      }
      return removed;
    } catch (IOException | RuntimeException e) {
      LOG.warn("retention: sweeping stream {} failed; retrying at the next sweep", stream.name(), e);
      return 0;
    }
  }

  private void sweepLogged() {
    try {
      sweepNow();
    } catch (RuntimeException e) {
      LOG.warn("retention: sweep failed; retrying in {} ms", SWEEP_INTERVAL_MS, e);
    }
  }

  /** Stops the timer and waits for a running sweep to finish. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("retention: a sweep is still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
