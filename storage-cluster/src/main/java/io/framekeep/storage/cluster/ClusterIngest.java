package io.framekeep.storage.cluster;

import io.framekeep.storage.StreamBusyException;
import io.framekeep.storage.FragmentAppender;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest side of one cluster node: opens appenders (one per stream on this node, and through
 * {@link StreamLeases} one per stream in the cluster), renews their leases in the background, and shares one
 * {@link BatchWriter} among them.
 *
 * <p>Renewal runs every third of the lease TTL; a renewal that finds the lease lost fails the appender (its
 * next commit fails with {@link LeaseLostException}); a renewal that fails because the database is unreachable
 * is retried at the next period (the batch commit is what decides, by epoch).
 *
 * <p>Thread safety: any thread.
 */
public final class ClusterIngest implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterIngest.class);

  private final StreamLeases leases;
  private final BatchWriter writer;
  private final Map<Long, ClusterFragmentAppender> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewer;

  /**
   * @param renewPeriodMs how often leases are renewed; 0 never (tests simulating a paused node)
   */
  public ClusterIngest(StreamLeases leases, BatchWriter writer, long renewPeriodMs) {
    this.leases = leases;
    this.writer = writer;
    this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "framekeep-lease-renewer");
      thread.setDaemon(true);
      return thread;
    });
    if (renewPeriodMs > 0) {
      renewer.scheduleWithFixedDelay(this::renewAll, renewPeriodMs, renewPeriodMs, TimeUnit.MILLISECONDS);
    }
  }

  /** Renewing at a third of the TTL leaves two chances before expiry. */
  public static long defaultRenewPeriodMs(long leaseTtlMs) {
    return Math.max(1, leaseTtlMs / 3);
  }

  /**
   * Opens the stream for ingest on this node.
   *
   * @throws io.framekeep.storage.StreamBusyException if this or another node has it open
   * @throws java.nio.file.NoSuchFileException if the stream does not exist or is deleted
   */
  public FragmentAppender openAppender(long streamId) throws IOException {
    ClusterFragmentAppender placeholder = null;
    if (open.putIfAbsent(streamId, placeholder = reserved(streamId)) != null) {
      throw new StreamBusyException(streamId);
    }
    try {
      ClusterFragmentAppender appender = new ClusterFragmentAppender(this, writer, leases.acquire(streamId));
      open.replace(streamId, placeholder, appender);
      return appender;
    } catch (IOException | RuntimeException e) {
      open.remove(streamId, placeholder);
      throw e;
    }
  }

  /** A stand-in occupying the stream's slot while its lease is acquired. */
  private ClusterFragmentAppender reserved(long streamId) {
    return new ClusterFragmentAppender(this, writer, new Lease(streamId, leases.nodeId(), 0, 0, 0));
  }

  void closed(ClusterFragmentAppender appender) {
    if (open.remove(appender.streamId(), appender)) {
      try {
        leases.release(appender.lease());
      } catch (IOException e) {
        LOG.warn("stream {}: lease not released ({}); it expires by itself", appender.streamId(), e.getMessage());
      }
    }
  }

  /** Renews every open appender's lease once. */
  void renewAll() {
    for (ClusterFragmentAppender appender : open.values()) {
      if (appender.lease().epoch() == 0 || appender.failure() != null) {
        continue;
      }
      try {
        appender.renewed(leases.renew(appender.lease()));
      } catch (LeaseLostException e) {
        LOG.warn("stream {}: {}", appender.streamId(), e.getMessage());
        appender.fail(e);
      } catch (IOException e) {
        LOG.warn("stream {}: lease renewal failed ({}), retrying", appender.streamId(), e.getMessage());
      }
    }
  }

  /** Stops renewing and closes the writer (flushing what is batched). Appenders should be closed first. */
  @Override
  public void close() {
    renewer.shutdownNow();
    writer.close();
  }
}
