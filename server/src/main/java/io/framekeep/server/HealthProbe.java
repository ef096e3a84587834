package io.framekeep.server;

import io.framekeep.storage.StorageHealth;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer of {@code GET /health} without waiting: the last result of the storage's health check,
 * refreshed in the background on a thread of its own when it is older than {@link #REFRESH_NANOS}.
 * A load balancer's probe is thus answered on the event loop in microseconds however busy the
 * request workers are (a flood of requests must not make a serving node look dead), and a check that
 * blocks on a database or object store that is down delays only the next refresh.
 *
 * <p>Thread safety: {@link #current()} may be called from any thread.
 */
final class HealthProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);
  /** 1 s: a change of state shows within about a second plus one check's duration. */
  static final long REFRESH_NANOS = 1_000_000_000L;

  private final Supplier<StorageHealth> check;
  private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "framekeep-health");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile StorageHealth last;
  private volatile long lastCheckedNanos;

  /** Runs the first check now, so that the first probe answers from a real result. */
  HealthProbe(Supplier<StorageHealth> check) {
    this.check = check;
    this.last = checkNow();
    this.lastCheckedNanos = System.nanoTime();
  }

  /** The latest result; starts a refresh in the background when it is stale. */
  StorageHealth current() {
    if (System.nanoTime() - lastCheckedNanos >= REFRESH_NANOS
        && refreshing.compareAndSet(false, true)) {
      try {
        refresher.execute(() -> {
          try {
            last = checkNow();
            lastCheckedNanos = System.nanoTime();
          } finally {
            refreshing.set(false);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        refreshing.set(false); // closing
      }
    }
    return last;
  }

  private StorageHealth checkNow() {
    try {
      return check.get();
    } catch (RuntimeException e) {
      LOG.warn("health check failed", e);
      return StorageHealth.down("health check failed: " + e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    refresher.shutdownNow();
    refresher.awaitTermination(5, TimeUnit.SECONDS);
  }
}
