package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.testing.cluster.ClusterServers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link ObjectCollector} against real PostgreSQL and S3Proxy, with the {@link Compactor}: DeleteStream and
 * retention give the bucket's space back once every part of a shared object is dead or moved, never touching
 * what another stream still uses; a reader holding an old location keeps reading through the grace period; an
 * object whose commit never happened is deleted after the settle period, and a commit that comes later still
 * is refused rather than indexing a deleted object.
 */
class ObjectCollectorTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final long START_MS = 1_800_000_000_000L;
  private static final long MIN_AGE_MS = 60_000;
  private static final long GRACE_MS = 15 * 60_000;
  private static final long SETTLE_MS = 60 * 60_000;

  private final MutableClock clock = new MutableClock(START_MS);
  private final List<TestNode> nodes = new ArrayList<>();
  private TestNode a;
  private String jdbcUrl;
  private Compactor compactor;
  private ObjectCollector collector;

  @BeforeEach
  void open() throws Exception {
    jdbcUrl = TestDatabases.fresh(SERVERS.postgres());
    a = new TestNode(TestNode.config(SERVERS, jdbcUrl, "node-a", 50, 8L << 20, 10_000), clock, 0);
    nodes.add(a);
    MaintenanceConfig settings = new MaintenanceConfig(1000, MIN_AGE_MS, 1L << 20, GRACE_MS, SETTLE_MS);
    compactor = a.storage.newCompactor(settings);
    collector = a.storage.newCollector(settings);
  }

  @AfterEach
  void close() {
    nodes.forEach(TestNode::close);
  }

  private static void assertSameBytes(List<byte[]> actual, List<byte[]> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("fragment %d", i + 1).isEqualTo(expected.get(i));
    }
  }

  /**
   * A node whose flushes hold exactly one fragment of each of two streams written by {@link Interleaved}: a
   * flush is due once it holds more than one fragment ({@code baseBytes} 80 000 or less), and its timer
   * (10 s) never fires between the two appends of a round.
   */
  private TestNode pairingWriter() throws IOException {
    TestNode writer = new TestNode(TestNode.config(SERVERS, jdbcUrl, "node-w", 10_000, 100_000, 10_000), clock, 0);
    nodes.add(writer);
    return writer;
  }

  private long bytesInLedger() throws IOException {
    return a.count("SELECT COALESCE(SUM(size_bytes), 0) FROM objects");
  }

  @Test
  void deleteStream_sharingObjectsWithAnother_otherUnchangedAndSpaceBackOnceAllPartsDead() throws Exception {
    long gone = a.createStream("gone");
    long kept = a.createStream("kept");
    Map<Long, List<byte[]>> written = Interleaved.write(pairingWriter(), List.of(gone, kept), 5, 80_000);
    List<String> sharedKeys = Interleaved.keys(a, ObjectLedger.LIVE);
    assertThat(sharedKeys).as("one object per round, each with both streams").hasSize(5);
    long keptBytes = a.count("SELECT SUM(length_bytes) FROM fragments WHERE stream_id = " + kept);

    a.catalog.delete(gone);
    ObjectCollector.Pass pass = collector.runPass();
    assertThat(pass.unreferenced()).as("every shared object still holds the kept stream").isZero();
    assertSameBytes(Interleaved.read(a, kept), written.get(kept));

    clock.advanceMs(Compactor.TAIL_AGE_FACTOR * MIN_AGE_MS);
    assertThat(compactor.runPass()).isEqualTo(1);
    assertThat(Interleaved.objects(a, ObjectLedger.UNREFERENCED)).isEqualTo(sharedKeys.size());
    clock.advanceMs(GRACE_MS - 1);
    assertThat(collector.runPass().deleted()).as("within the grace period").isZero();
    for (String key : sharedKeys) {
      assertThat(Interleaved.inBucket(a, key)).isTrue();
    }

    clock.advanceMs(1);
    assertThat(collector.runPass().deleted()).isEqualTo(sharedKeys.size());
    for (String key : sharedKeys) {
      assertThat(Interleaved.inBucket(a, key)).as(key).isFalse();
    }
    assertThat(bytesInLedger()).as("only the kept stream's bytes are stored").isEqualTo(keptBytes);
    assertThat(collector.objectsDeleted()).isEqualTo(sharedKeys.size());
    assertSameBytes(Interleaved.read(a, kept), written.get(kept));
  }

  @Test
  void retention_ofEveryStreamInAnObject_deletesItWithoutCompaction() throws Exception {
    long one = a.createStream("one");
    long two = a.createStream("two");
    Map<Long, List<byte[]>> written = Interleaved.write(pairingWriter(), List.of(one, two), 4, 60_000);
    long objects = Interleaved.objects(a, ObjectLedger.LIVE);
    assertThat(objects).as("one object per round, each with both streams").isEqualTo(4);

    // Fragments at producer times 0..3000 (server +5): the first two of each stream go.
    a.storage.fragments().deleteOlderThan(one, 1006);
    assertThat(collector.runPass().unreferenced()).as("the other stream still uses them").isZero();
    a.storage.fragments().deleteOlderThan(two, 1006);
    int dead = collector.runPass().unreferenced();
    assertThat(dead).as("the two objects of the first two rounds").isEqualTo(2).isLessThan((int) objects);

    clock.advanceMs(GRACE_MS);
    assertThat(collector.runPass().deleted()).isEqualTo(dead);
    assertThat(Interleaved.objects(a, ObjectLedger.LIVE)).isEqualTo(objects - dead);
    for (long stream : List.of(one, two)) {
      assertThat(a.index.bySequence(stream, 2)).isEmpty();
      for (int seq = 3; seq <= 4; seq++) {
        assertThat(a.read(a.index.bySequence(stream, seq).orElseThrow())).isEqualTo(written.get(stream).get(seq - 1));
      }
    }
  }

  @Test
  void reader_holdingAnOldLocation_readsItThroughTheGracePeriod() throws Exception {
    long id = a.createStream("cam");
    Map<Long, List<byte[]>> written = Interleaved.write(a, List.of(id), 3, 50_000);
    FragmentRecord old = a.index.bySequence(id, 2).orElseThrow();
    clock.advanceMs(Compactor.TAIL_AGE_FACTOR * MIN_AGE_MS);
    assertThat(compactor.runPass()).isEqualTo(1);
    FragmentRecord moved = a.index.bySequence(id, 2).orElseThrow();
    assertThat(moved.segmentId()).isNotEqualTo(old.segmentId());

    clock.advanceMs(GRACE_MS - 1);
    collector.runPass();
    assertThat(readThroughLog(old)).isEqualTo(written.get(id).get(1));

    clock.advanceMs(1);
    assertThat(collector.runPass().deleted()).isEqualTo(3);
    assertThatThrownBy(() -> readThroughLog(old)).isInstanceOf(NoSuchFileException.class);
    assertThat(readThroughLog(moved)).isEqualTo(written.get(id).get(1));
  }

  private byte[] readThroughLog(FragmentRecord record) throws IOException {
    try (ByteSource source = a.storage.fragments().open(ByteRange.whole(record))) {
      source.awaitReady();
      ByteBuffer bytes = ByteBuffer.allocate((int) record.lengthBytes());
      source.read(0, bytes);
      return bytes.array();
    }
  }

  @Test
  void orphan_ofACommitThatNeverHappened_deletedAfterTheSettlePeriodAndALateCommitRefused() throws Exception {
    byte[] payload = TestNode.payload(9, 4096);
    String key = "shared/orphan-test";
    long objectId = ObjectLedger.recordIntent(a.storage.database(), key, payload.length, ObjectLedger.SHARED, null,
        clock.millis());
    a.store.put(key, payload.length, () -> new ByteArrayInputStream(payload));

    clock.advanceMs(SETTLE_MS - 1);
    assertThat(collector.runPass().orphans()).isZero();
    assertThat(Interleaved.inBucket(a, key)).isTrue();

    clock.advanceMs(1);
    ObjectCollector.Pass pass = collector.runPass();
    assertThat(pass.orphans()).isEqualTo(1);
    assertThat(pass.deleted()).isEqualTo(1);
    assertThat(Interleaved.inBucket(a, key)).isFalse();
    assertThat(a.count("SELECT COUNT(*) FROM objects")).isZero();
    assertThatThrownBy(() -> a.storage.database().io("late commit",
        c -> {
          ObjectLedger.markLive(c, objectId, true, clock.millis());
          return null;
        }))
        .isInstanceOf(IOException.class).hasMessageContaining("collected as an orphan");
  }

  @Test
  void pendingObject_ofAFlushInProgress_notTakenBeforeTheSettlePeriod() throws Exception {
    long id = a.createStream("cam");
    Interleaved.write(a, List.of(id), 2, 10_000);
    long pending = ObjectLedger.recordIntent(a.storage.database(), "shared/in-flight", 10, ObjectLedger.SHARED,
        null, clock.millis());
    clock.advanceMs(SETTLE_MS - 1);

    assertThat(collector.runPass().deleted()).isZero();

    a.storage.database().io("commit", c -> {
      ObjectLedger.markLive(c, pending, false, clock.millis());
      return null;
    });
    assertThat(a.count("SELECT COUNT(*) FROM objects WHERE state = 'LIVE'")).isEqualTo(2);
  }

  @Test
  void runPass_onTwoNodesAtOnce_deletesEachObjectOnce() throws Exception {
    TestNode b = new TestNode(a.config.withNodeId("node-b"), clock, 0);
    nodes.add(b);
    ObjectCollector onB = b.storage.newCollector(new MaintenanceConfig(1000, MIN_AGE_MS, 1L << 20, GRACE_MS,
        SETTLE_MS));
    List<Long> streams = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      streams.add(a.createStream("cam" + i));
    }
    Interleaved.write(a, streams, 6, 5_000);
    long objects = Interleaved.objects(a, ObjectLedger.LIVE);
    for (long id : streams) {
      a.catalog.delete(id);
    }
    clock.advanceMs(GRACE_MS);
    collector.runPass();
    clock.advanceMs(GRACE_MS);

    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<ObjectCollector.Pass>> passes = new ArrayList<>();
      for (ObjectCollector c : List.of(collector, onB)) {
        passes.add(pool.submit(() -> {
          start.await();
          return c.runPass();
        }));
      }
      int deleted = 0;
      for (var pass : passes) {
        deleted += pass.get(60, java.util.concurrent.TimeUnit.SECONDS).deleted();
      }
      assertThat(deleted).isEqualTo(objects);
    } finally {
      pool.shutdownNow();
    }
    assertThat(collector.objectsDeleted() + onB.objectsDeleted()).isEqualTo(objects);
    assertThat(a.count("SELECT COUNT(*) FROM objects")).isZero();
  }

  @Test
  void flush_everyFragmentRefused_objectUnreferencedAtOnceAndCollectedAfterGrace() throws Exception {
    long id = a.createStream("cam");
    long header = a.storage.fragments().putHeader(id, new byte[] {1});
    try (var appender = a.storage.fragments().openAppender(id)) {
      a.catalog.delete(id);
      var done = TestNode.append(appender, TestNode.payload(1, 2000), header, 0);
      assertThatThrownBy(() -> done.get(60, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(NoSuchFileException.class);
    }
    List<String> keys = Interleaved.keys(a, ObjectLedger.UNREFERENCED);
    assertThat(keys).hasSize(1);
    assertThat(Interleaved.inBucket(a, keys.get(0))).isTrue();

    clock.advanceMs(GRACE_MS);
    assertThat(collector.runPass().deleted()).isEqualTo(1);
    assertThat(Interleaved.inBucket(a, keys.get(0))).isFalse();
  }
}
