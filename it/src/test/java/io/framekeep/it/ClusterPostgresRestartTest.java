package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.server.StorageBackend;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL restart under load loses no PERSISTED fragment. Three Framekeep server processes
 * ingest {@link #STREAMS} paced uploads ({@link ClusterIngestRun}); mid-upload the PostgreSQL
 * server process is stopped (a fast shutdown, as {@code pg_ctl stop -m fast}) for
 * {@link #OUTAGE_MS} and started again on the same port and data. While it is down the uploads
 * get back-pressure then ERROR acks (5000 or 5001), new PutMedia requests are refused with
 * ServiceUnavailable, and every node's {@code /health} answers 503; once it is back, ingest
 * resumes by itself (the producers reconnect as the AWS producer SDK does), every node answers
 * 200, and every fragment acked PERSISTED is listed, with each stream's clip byte-identical, on
 * every node.
 *
 * <p>Runs only with the cluster switch (the cluster-backend execution); it stops the suite's
 * shared PostgreSQL, so it must not run in parallel with other cluster tests (the suite runs
 * classes one at a time).
 */
class ClusterPostgresRestartTest {
  private static final int STREAMS = Integer.getInteger("cluster.pgrestart.streams", 4);
  /** 3 s leases, as in {@link ClusterKillTest}: shorter than the outage, so leases lapse. */
  private static final long LEASE_TTL_MS = 3_000;
  private static final long STOP_AFTER_MS = 5_000;
  private static final long OUTAGE_MS = 10_000;
  /** /health shows a change within this: a 1 s result cache and 2 s probe bounds, plus slack. */
  private static final Duration HEALTH_LIMIT = Duration.ofSeconds(8);

  private ClusterIngestRun run;

  @AfterEach
  void stopNodes() throws Exception {
    if (run != null) {
      run.close();
    }
  }

  @Test
  void postgresStopped10sMidUpload_errorAcksThenIngestResumesAndNoPersistedFragmentLost()
      throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "the cluster failure tests run with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    Map<String, String> settings = new HashMap<>(ClusterUnderTest.freshNodeSettings());
    settings.put("lease-ttl-ms", Long.toString(LEASE_TTL_MS));
    run = new ClusterIngestRun(STREAMS, "pgrestart-", settings);
    ClusterIngestRun cluster = run;
    ClusterIngestRun.Outcome outcome = cluster.ingestThrough(STOP_AFTER_MS, () -> {
      long stopped = System.nanoTime();
      ClusterUnderTest.postgres().stop();
      try {
        cluster.awaitHealth(503, HEALTH_LIMIT);
        long left = OUTAGE_MS - (System.nanoTime() - stopped) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left);
        }
      } finally {
        ClusterUnderTest.postgres().restart();
      }
    });
    cluster.awaitHealth(200, HEALTH_LIMIT);
    assertThat(cluster.errorIds).as("ERROR acks during the outage").isNotEmpty()
        .allMatch(id -> id == ClusterIngestRun.ARCHIVAL_ERROR
            || id == ClusterIngestRun.INTERNAL_ERROR);
    long acked = cluster.verifyOnEveryNode(outcome);
    System.out.printf("cluster PostgreSQL restart test: %d streams over %d nodes, PostgreSQL "
        + "stopped %.1f s, %d PERSISTED fragments, %d ERROR acks %s, %d refused PutMedia, "
        + "uploads ended %.1f s after the stop, total %.1f s%n", STREAMS, ClusterIngestRun.NODES,
        OUTAGE_MS / 1e3, acked, cluster.errorIds.size(), Map.of(
            5000, cluster.errorIds.stream().filter(id -> id == 5000).count(),
            5001, cluster.errorIds.stream().filter(id -> id == 5001).count()),
        cluster.refusals.size(),
        (outcome.uploadsDoneNanos() - outcome.disruptedAtNanos()) / 1e9,
        (System.nanoTime() - outcome.startedNanos()) / 1e9);
  }
}
