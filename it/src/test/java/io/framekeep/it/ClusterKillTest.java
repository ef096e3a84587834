package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.server.StorageBackend;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster failures lose no PERSISTED fragment. Three Framekeep server processes share one
 * PostgreSQL database and one S3Proxy bucket; {@link #STREAMS} producers upload paced (one GOP
 * per GOP duration) and spread over the nodes ({@link ClusterIngestRun}); mid-upload, either one
 * node is killed with {@code kill -9}, or the S3 server is stopped for {@link #OUTAGE_MS}. A
 * producer of the dead node retries on ConnectionLimitExceeded until the dead node's lease
 * ({@link #LEASE_TTL_MS}) expires, as the AWS producer SDK does. Every producer must get its whole
 * media acked PERSISTED; then every fragment acked PERSISTED is listed on every node (the killed
 * one started again), and each stream's clip is byte-identical whichever node serves it. The
 * outage must give ERROR acks 5001 (archival error) or 5000, and ingest must resume by itself.
 *
 * <p>Short form (6 streams) runs in the cluster test run; the long form is
 * {@code mvn -B -pl it -am verify -Dtest=ClusterKillTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcluster.kill.streams=20}. Runs only with the cluster switch (the cluster-backend execution).
 */
class ClusterKillTest {
  private static final int STREAMS = Integer.getInteger("cluster.kill.streams", 6);
  private static final int VICTIM = 1;
  /**
   * 3 s leases: a dead node's streams are taken over 3 s after its last renewal at most, which
   * keeps the test short; the default is 10 s.
   */
  private static final long LEASE_TTL_MS = 3_000;
  /** The kill comes this long after the uploads start: mid-upload, after some PERSISTED acks. */
  private static final long KILL_AFTER_MS = 5_000;
  /** The object-store outage: longer than a flush's retries, so that fragments fail. */
  private static final long OUTAGE_MS = 10_000;

  private ClusterIngestRun run;

  @AfterEach
  void stopNodes() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  private ClusterIngestRun start() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "the cluster failure tests run with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    Map<String, String> settings = new HashMap<>(ClusterUnderTest.freshNodeSettings());
    settings.put("lease-ttl-ms", Long.toString(LEASE_TTL_MS));
    run = new ClusterIngestRun(STREAMS, "kill-", settings);
    return run;
  }

  @Test
  void killNine_oneOfThreeNodesMidUpload_noPersistedFragmentLostAndClipsIdenticalOnEveryNode()
      throws Exception {
    ClusterIngestRun cluster = start();
    ClusterIngestRun.Outcome outcome = cluster.ingestThrough(KILL_AFTER_MS,
        () -> cluster.kill(VICTIM));
    assertThat(cluster.tookOver).as("streams taken over from the killed node").isNotEmpty();
    cluster.restart(VICTIM, "node-" + VICTIM + "-restarted");
    long acked = cluster.verifyOnEveryNode(outcome);
    System.out.printf("cluster kill test: %d streams over %d nodes, %d PERSISTED fragments, "
        + "%d streams taken over, PutMedia accepted by another node at most %.1f s after the kill, "
        + "uploads ended %.1f s after the kill, total %.1f s%n",
        STREAMS, ClusterIngestRun.NODES, acked, cluster.tookOver.size(),
        cluster.tookOverAtNanos.values().stream().mapToLong(t -> t - outcome.disruptedAtNanos())
            .max().orElse(0) / 1e9,
        (outcome.uploadsDoneNanos() - outcome.disruptedAtNanos()) / 1e9,
        (System.nanoTime() - outcome.startedNanos()) / 1e9);
  }

  @Test
  void objectStoreStopped10sMidUpload_errorAcksThenIngestResumesAndNoPersistedFragmentLost()
      throws Exception {
    ClusterIngestRun cluster = start();
    ClusterIngestRun.Outcome outcome = cluster.ingestThrough(KILL_AFTER_MS, () -> {
      ClusterUnderTest.s3().stop();
      try {
        Thread.sleep(OUTAGE_MS);
      } finally {
        ClusterUnderTest.s3().start();
      }
    });
    assertThat(cluster.errorIds).as("ERROR acks during the outage").isNotEmpty()
        .allMatch(id -> id == ClusterIngestRun.ARCHIVAL_ERROR
            || id == ClusterIngestRun.INTERNAL_ERROR)
        .contains(ClusterIngestRun.ARCHIVAL_ERROR);
    long acked = cluster.verifyOnEveryNode(outcome);
    System.out.printf("cluster object-store outage test: %d streams over %d nodes, S3 stopped "
        + "%.1f s, %d PERSISTED fragments, %d ERROR acks, uploads ended %.1f s after S3 stopped, "
        + "total %.1f s%n", STREAMS, ClusterIngestRun.NODES, OUTAGE_MS / 1e3, acked,
        cluster.errorIds.size(), (outcome.uploadsDoneNanos() - outcome.disruptedAtNanos()) / 1e9,
        (System.nanoTime() - outcome.startedNanos()) / 1e9);
  }
}
