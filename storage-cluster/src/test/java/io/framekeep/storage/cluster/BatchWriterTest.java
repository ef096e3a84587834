package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import io.framekeep.testing.cluster.ClusterServers;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchWriterTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  /** Generous: a flush on a shared 2-core machine; failures come from timeouts well below this. */
  private static final long WAIT_SECONDS = 90;
  private static final long FLUSH_INTERVAL_MS = 250;
  private static final long FLUSH_BYTES = 8L << 20;
  private static final long TTL_MS = 10_000;

  private final List<TestNode> nodes = new ArrayList<>();
  private String jdbcUrl;

  @BeforeEach
  void freshDatabase() throws Exception {
    jdbcUrl = TestDatabases.fresh(SERVERS.postgres());
  }

  @AfterEach
  void closeNodes() {
    nodes.forEach(TestNode::close);
  }

  private TestNode node(String id, Clock clock, long flushIntervalMs, long flushBytes, long renewPeriodMs)
      throws Exception {
    TestNode node = new TestNode(TestNode.config(SERVERS, jdbcUrl, id, flushIntervalMs, flushBytes, TTL_MS), clock,
        renewPeriodMs);
    nodes.add(node);
    return node;
  }

  private TestNode node(String id) throws Exception {
    return node(id, Clock.systemUTC(), FLUSH_INTERVAL_MS, FLUSH_BYTES, ClusterIngest.defaultRenewPeriodMs(TTL_MS));
  }

  private static FragmentRecord await(CompletableFuture<FragmentRecord> done) throws Exception {
    return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<FragmentRecord> done) throws Exception {
    try {
      done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the fragment to fail, but it was persisted");
  }

  @Test
  void append_twentyStreamsFiveFragmentsEach_fewPutsAndEveryFragmentReadsBack() throws Exception {
    TestNode node = node("node-a");
    int streams = 20;
    int fragments = 5;
    ExecutorService producers = Executors.newFixedThreadPool(streams);
    try {
      List<Future<List<FragmentRecord>>> results = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        long streamId = node.createStream("cam-" + s);
        long headerId = node.index.putHeader(streamId, new byte[] {1, 2, 3});
        int seed = s;
        results.add(producers.submit(() -> {
          List<CompletableFuture<FragmentRecord>> done = new ArrayList<>();
          try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
            for (int f = 0; f < fragments; f++) {
              done.add(TestNode.append(appender, TestNode.payload(seed * 100 + f, 10_000 + f), headerId, 1000L * f));
            }
            List<FragmentRecord> records = new ArrayList<>();
            for (CompletableFuture<FragmentRecord> d : done) {
              records.add(await(d));
            }
            return records;
          }
        }));
      }
      for (int s = 0; s < streams; s++) {
        List<FragmentRecord> records = results.get(s).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(records).extracting(FragmentRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (int f = 0; f < fragments; f++) {
          assertThat(node.read(records.get(f))).isEqualTo(TestNode.payload(s * 100 + f, 10_000 + f));
          assertThat(node.index.bySequence(records.get(f).streamId(), f + 1)).contains(records.get(f));
        }
      }
    } finally {
      producers.shutdownNow();
    }

    int puts = node.store.puts.get();
    assertThat(puts).isEqualTo(node.storage.putCount())
        .isEqualTo(node.count("SELECT COUNT(*) FROM objects"))
        // 100 fragments arrive within a few flush intervals: a handful of objects, not one per fragment.
        .isLessThanOrEqualTo(20);
    assertThat(node.count("SELECT COUNT(*) FROM fragments")).isEqualTo(100);
  }

  @Test
  void append_batchReachesFlushBytes_flushesWithoutWaitingForInterval() throws Exception {
    TestNode node = node("node-a", Clock.systemUTC(), TimeUnit.MINUTES.toMillis(10), 1000,
        ClusterIngest.defaultRenewPeriodMs(TTL_MS));
    long streamId = node.createStream("cam");
    long headerId = node.index.putHeader(streamId, new byte[] {1});

    try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
      CompletableFuture<FragmentRecord> first = TestNode.append(appender, TestNode.payload(1, 600), headerId, 0);
      CompletableFuture<FragmentRecord> second = TestNode.append(appender, TestNode.payload(2, 600), headerId, 1);

      assertThat(await(first).segmentId()).isEqualTo(await(second).segmentId());
      assertThat(await(second).offset()).isEqualTo(600);
    }
  }

  @Test
  void append_singleSmallFragment_flushedAfterInterval() throws Exception {
    TestNode node = node("node-a", Clock.systemUTC(), 300, FLUSH_BYTES, ClusterIngest.defaultRenewPeriodMs(TTL_MS));
    long streamId = node.createStream("cam");
    long headerId = node.index.putHeader(streamId, new byte[] {1});

    try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
      long startNanos = System.nanoTime();
      FragmentRecord record = await(TestNode.append(appender, TestNode.payload(1, 100), headerId, 0));
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

      assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
      assertThat(node.read(record)).isEqualTo(TestNode.payload(1, 100));
    }
  }

  @Test
  void commit_afterLeaseTakenOverDuringPause_refusedAndLaterCommitsFailToo() throws Exception {
    MutableClock clock = new MutableClock(System.currentTimeMillis());
    TestNode paused = node("node-a", clock, FLUSH_INTERVAL_MS, FLUSH_BYTES, 0);
    TestNode other = node("node-b", clock, FLUSH_INTERVAL_MS, FLUSH_BYTES, 0);
    long streamId = paused.createStream("cam");
    long headerId = paused.index.putHeader(streamId, new byte[] {1});
    FragmentAppender stale = paused.ingest.openAppender(streamId);
    FragmentRecord before = await(TestNode.append(stale, TestNode.payload(1, 500), headerId, 0));

    // node-a stops renewing (a long GC pause or a partition); its lease expires and node-b takes the stream.
    clock.advanceMs(TTL_MS + 1);
    FragmentAppender taker = other.ingest.openAppender(streamId);
    Throwable refused = failure(TestNode.append(stale, TestNode.payload(2, 500), headerId, 1));
    Throwable later = failure(TestNode.append(stale, TestNode.payload(3, 500), headerId, 2));
    FragmentRecord after = await(TestNode.append(taker, TestNode.payload(4, 500), headerId, 3));
    taker.close();
    stale.close();

    assertThat(refused).isInstanceOf(LeaseLostException.class);
    assertThat(later).isSameAs(refused);
    assertThat(before.sequence()).isEqualTo(1);
    assertThat(after.sequence()).isEqualTo(2);
    assertThat(paused.index.range(streamId, TimeOrigin.PRODUCER, 0, Long.MAX_VALUE, null, 100))
        .containsExactly(before, after);
    assertThat(other.read(List.of(before, after)))
        .isEqualTo(concat(TestNode.payload(1, 500), TestNode.payload(4, 500)));
  }

  @Test
  void append_streamDeletedMeanwhile_failsWithNoSuchFile() throws Exception {
    TestNode node = node("node-a");
    long streamId = node.createStream("cam");
    long headerId = node.index.putHeader(streamId, new byte[] {1});

    try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
      node.catalog.delete(streamId);

      assertThat(failure(TestNode.append(appender, TestNode.payload(1, 100), headerId, 0)))
          .isInstanceOf(NoSuchFileException.class);
    }
    assertThat(node.count("SELECT COUNT(*) FROM fragments")).isZero();
  }

  @Test
  void openAppender_streamOpenOnThisOrAnotherNode_throwsStreamBusy() throws Exception {
    TestNode a = node("node-a");
    TestNode b = node("node-b");
    long streamId = a.createStream("cam");

    try (FragmentAppender first = a.ingest.openAppender(streamId)) {
      assertThat(first.nextSequence()).isEqualTo(1);
      assertThatThrownBy(() -> a.ingest.openAppender(streamId))
          .isInstanceOf(io.framekeep.storage.StreamBusyException.class);
      assertThatThrownBy(() -> b.ingest.openAppender(streamId))
          .isInstanceOf(io.framekeep.storage.StreamBusyException.class);
    }
    b.ingest.openAppender(streamId).close();
  }

  @Test
  void append_acrossNodesAndRestarts_numbersContinueWithoutGapsOrReuse() throws Exception {
    TestNode a = node("node-a");
    long streamId = a.createStream("cam");
    long headerId = a.index.putHeader(streamId, new byte[] {1});
    List<Long> sequences = new ArrayList<>();
    try (FragmentAppender appender = a.ingest.openAppender(streamId)) {
      assertThat(appender.nextSequence()).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        sequences.add(await(TestNode.append(appender, TestNode.payload(i, 100), headerId, i)).sequence());
      }
    }
    a.close();
    nodes.remove(a);
    TestNode b = node("node-b");
    try (FragmentAppender appender = b.ingest.openAppender(streamId)) {
      assertThat(appender.nextSequence()).isEqualTo(4);
      for (int i = 3; i < 5; i++) {
        sequences.add(await(TestNode.append(appender, TestNode.payload(i, 100), headerId, i)).sequence());
      }
    }

    assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void append_objectStoreDown_failsWithStorageErrorNothingAckedThenResumes() throws Exception {
    TestNode node = node("node-a");
    long streamId = node.createStream("cam");
    long headerId = node.index.putHeader(streamId, new byte[] {1});
    FragmentRecord first;
    try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
      first = await(TestNode.append(appender, TestNode.payload(1, 1000), headerId, 0));
    }

    Throwable down;
    SERVERS.s3().stop();
    try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
      down = failure(TestNode.append(appender, TestNode.payload(2, 1000), headerId, 1));
    } finally {
      SERVERS.s3().start();
    }

    assertThat(down).isInstanceOf(ObjectStoreException.class);
    assertThat(node.count("SELECT COUNT(*) FROM fragments")).isEqualTo(1);
    FragmentRecord resumed;
    try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
      resumed = await(TestNode.append(appender, TestNode.payload(3, 1000), headerId, 2));
    }
    assertThat(resumed.sequence()).isEqualTo(first.sequence() + 1);
    assertThat(node.read(List.of(first, resumed)))
        .isEqualTo(concat(TestNode.payload(1, 1000), TestNode.payload(3, 1000)));
  }

  @Test
  void append_postgresRestarted_failsNothingAckedThenResumes() throws Exception {
    TestNode node = node("node-a");
    long streamId = node.createStream("cam");
    long headerId = node.index.putHeader(streamId, new byte[] {1});
    FragmentAppender appender = node.ingest.openAppender(streamId);
    FragmentRecord first = await(TestNode.append(appender, TestNode.payload(1, 1000), headerId, 0));

    Throwable down;
    SERVERS.postgres().stop();
    try {
      down = failure(TestNode.append(appender, TestNode.payload(2, 1000), headerId, 1));
      appender.close();
    } finally {
      SERVERS.postgres().restart();
    }

    assertThat(down).isInstanceOf(java.io.IOException.class);
    assertThat(node.count("SELECT COUNT(*) FROM fragments")).isEqualTo(1);
    FragmentRecord resumed;
    try (FragmentAppender again = node.ingest.openAppender(streamId)) {
      resumed = await(TestNode.append(again, TestNode.payload(3, 1000), headerId, 2));
    }
    assertThat(resumed.sequence()).isEqualTo(first.sequence() + 1);
    assertThat(node.index.range(streamId, TimeOrigin.PRODUCER, 0, Long.MAX_VALUE, null, 100))
        .containsExactly(first, resumed);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
