package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.testing.cluster.ClusterServers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link Compactor} against real PostgreSQL and S3Proxy: fragments of several streams batched into shared
 * objects by a node are moved into per-stream objects with their bytes unchanged, only once however many nodes
 * compact at the same time, and never bring back a fragment deleted while they were being copied.
 */
class CompactorTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final long START_MS = 1_800_000_000_000L;
  private static final long MIN_AGE_MS = 60_000;
  private static final long TARGET_BYTES = 1L << 20;

  private final MutableClock clock = new MutableClock(START_MS);
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

  private TestNode node(String id) throws Exception {
    return node(id, 50, 8L << 20);
  }

  private TestNode node(String id, long flushIntervalMs, long flushBytes) throws Exception {
    TestNode node = new TestNode(TestNode.config(SERVERS, jdbcUrl, id, flushIntervalMs, flushBytes, 10_000), clock,
        0);
    nodes.add(node);
    return node;
  }

  private Compactor compactor(TestNode node) {
    return compactor(node, node.store);
  }

  private Compactor compactor(TestNode node, ObjectStore store) {
    return new Compactor(node.storage.database(), store, node.storage.reader(), clock, node.config.nodeId(),
        MIN_AGE_MS, TARGET_BYTES);
  }

  private static void assertSameBytes(List<byte[]> actual, List<byte[]> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as("fragment %d", i + 1).isEqualTo(expected.get(i));
    }
  }

  @Test
  void runPass_sharedObjectsOfThreeStreams_eachStreamInItsOwnObjectsByteForByte() throws Exception {
    // A flush is due once it holds a round's three fragments (~150 kB each), never after two.
    TestNode a = node("node-a", 10_000, 400_000);
    List<Long> streams = List.of(a.createStream("s1"), a.createStream("s2"), a.createStream("s3"));
    Map<Long, List<byte[]>> written = Interleaved.write(a, streams, 8, 150_000);
    long shared = Interleaved.objects(a, ObjectLedger.LIVE);
    assertThat(a.count("SELECT COUNT(*) FROM objects o WHERE kind = 'SHARED' AND (SELECT COUNT(DISTINCT"
        + " stream_id) FROM fragments f WHERE f.object_id = o.object_id) = 3")).as("objects shared").isEqualTo(8);
    clock.advanceMs(Compactor.TAIL_AGE_FACTOR * MIN_AGE_MS);

    Compactor compactor = compactor(a);
    int written1 = compactor.runPass();

    // Each stream holds 8 x ~150 kB (~1.3 MB): one full 1 MiB object and its tail.
    assertThat(written1).isEqualTo(6);
    for (long id : streams) {
      assertThat(Interleaved.kindsOf(a, id)).containsExactly(ObjectLedger.STREAM);
      assertSameBytes(Interleaved.read(a, id), written.get(id));
      assertThat(a.count("SELECT COUNT(*) FROM objects WHERE kind = 'STREAM' AND stream_id = " + id)).isEqualTo(2);
    }
    assertThat(Interleaved.objects(a, ObjectLedger.UNREFERENCED)).isEqualTo(shared);
    assertThat(a.count("SELECT COUNT(*) FROM objects WHERE kind = 'SHARED' AND state = 'LIVE'")).isZero();
    assertThat(compactor.fragmentsMoved()).isEqualTo(24);
    assertThat(compactor.bytesRewritten()).isEqualTo(a.count("SELECT SUM(length_bytes) FROM fragments"));
    assertThat(compactor.runPass()).as("nothing left to do").isZero();
  }

  @Test
  void runPass_beforeMinAgeAndTailAge_leavesObjectsAlone() throws Exception {
    TestNode a = node("node-a");
    long small = a.createStream("small");
    long large = a.createStream("large");
    Map<Long, List<byte[]>> written = Interleaved.write(a, List.of(small, large), 1, 10_000);
    Interleaved.write(a, List.of(large), 12, 100_000).get(large).forEach(written.get(large)::add);
    Compactor compactor = compactor(a);

    assertThat(compactor.runPass()).as("younger than the minimum age").isZero();
    clock.advanceMs(MIN_AGE_MS);
    // Past the minimum age: the large stream's full object goes, its tail and the small stream wait.
    assertThat(compactor.runPass()).isEqualTo(1);
    assertThat(Interleaved.kindsOf(a, small)).containsExactly(ObjectLedger.SHARED);
    assertThat(Interleaved.kindsOf(a, large)).containsExactly(ObjectLedger.SHARED, ObjectLedger.STREAM);
    clock.advanceMs((Compactor.TAIL_AGE_FACTOR - 1) * MIN_AGE_MS);
    assertThat(compactor.runPass()).isEqualTo(2);
    assertThat(Interleaved.kindsOf(a, small)).containsExactly(ObjectLedger.STREAM);
    assertThat(Interleaved.kindsOf(a, large)).containsExactly(ObjectLedger.STREAM);
    assertSameBytes(Interleaved.read(a, small), written.get(small));
    assertSameBytes(Interleaved.read(a, large), written.get(large));
  }

  @Test
  void runPass_twoNodesAtOnce_everyFragmentMovedExactlyOnce() throws Exception {
    TestNode a = node("node-a");
    TestNode b = node("node-b");
    List<Long> streams = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      streams.add(a.createStream("cam" + i));
    }
    Map<Long, List<byte[]>> written = Interleaved.write(a, streams, 4, 60_000);
    clock.advanceMs(Compactor.TAIL_AGE_FACTOR * MIN_AGE_MS);
    Compactor onA = compactor(a);
    Compactor onB = compactor(b);
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> passes = new ArrayList<>();
      for (Compactor c : List.of(onA, onB)) {
        passes.add(pool.submit((Callable<Integer>) () -> {
          start.await();
          return c.runPass();
        }));
      }
      int total = passes.get(0).get(120, TimeUnit.SECONDS) + passes.get(1).get(120, TimeUnit.SECONDS);
      // Each stream (4 x ~60 kB) fits one object: one object per stream, written by one node or the other.
      assertThat(total).isEqualTo(streams.size());
    } finally {
      pool.shutdownNow();
    }
    assertThat(onA.fragmentsMoved() + onB.fragmentsMoved()).isEqualTo(4L * streams.size());
    assertThat(onA.bytesRewritten() + onB.bytesRewritten())
        .isEqualTo(a.count("SELECT SUM(length_bytes) FROM fragments"));
    assertThat(a.count("SELECT COUNT(*) FROM objects WHERE kind = 'STREAM'")).isEqualTo(streams.size());
    assertThat(a.count("SELECT COUNT(*) FROM compaction_claims")).as("claims released").isZero();
    for (long id : streams) {
      assertSameBytes(Interleaved.read(b, id), written.get(id));
    }
  }

  @Test
  void rewrite_ofAStalePlan_afterAnotherNodeMovedTheRows_movesNothing() throws Exception {
    TestNode a = node("node-a");
    long id = a.createStream("cam");
    Map<Long, List<byte[]>> written = Interleaved.write(a, List.of(id), 3, 50_000);
    clock.advanceMs(Compactor.TAIL_AGE_FACTOR * MIN_AGE_MS);
    Compactor late = compactor(a);
    List<Compactor.Piece> stalePlan = late.pieces(id, clock.millis() - MIN_AGE_MS);

    assertThat(compactor(node("node-b")).runPass()).isEqualTo(1);
    // As a node whose claim lapsed mid-copy would: copy and commit after the other node moved the rows.
    assertThat(late.rewrite(id, stalePlan)).isZero();

    assertThat(a.count("SELECT COUNT(*) FROM objects WHERE kind = 'STREAM' AND state = 'LIVE'")).isEqualTo(1);
    assertThat(a.count("SELECT COUNT(*) FROM objects WHERE kind = 'STREAM' AND state = 'UNREFERENCED'"))
        .as("the late copy, for the collector").isEqualTo(1);
    assertSameBytes(Interleaved.read(a, id), written.get(id));
  }

  @Test
  void runPass_fragmentDeletedWhileCopying_staysDeleted() throws Exception {
    TestNode a = node("node-a");
    long id = a.createStream("cam");
    long other = a.createStream("other");
    Map<Long, List<byte[]>> written = Interleaved.write(a, List.of(id, other), 4, 40_000);
    clock.advanceMs(Compactor.TAIL_AGE_FACTOR * MIN_AGE_MS);
    // Retention removes the stream's first two fragments (producer times 0 and 1000, server times +5) while the
    // compacted object is being uploaded, i.e. after its bytes were copied.
    ObjectStore retentionDuringPut = new Delegating(a.store) {
      @Override
      public void put(String key, long lengthBytes, Supplier<InputStream> content) throws IOException {
        if (key.startsWith("stream/" + id + "/")) {
          assertThat(a.storage.fragments().deleteOlderThan(id, 1006)).isEqualTo(2);
        }
        super.put(key, lengthBytes, content);
      }
    };

    assertThat(compactor(a, retentionDuringPut).runPass()).isEqualTo(2);

    assertThat(a.index.bySequence(id, 1)).isEmpty();
    assertThat(a.index.bySequence(id, 2)).isEmpty();
    assertThat(a.count("SELECT COUNT(*) FROM fragments WHERE stream_id = " + id)).isEqualTo(2);
    for (long seq = 3; seq <= 4; seq++) {
      assertThat(a.read(a.index.bySequence(id, seq).orElseThrow())).isEqualTo(written.get(id).get((int) seq - 1));
    }
    assertSameBytes(Interleaved.read(a, other), written.get(other));
  }

  @Test
  void runPass_streamObjectMostlyDeletedByRetention_rewrittenSmaller() throws Exception {
    TestNode a = node("node-a");
    long id = a.createStream("cam");
    Map<Long, List<byte[]>> written = Interleaved.write(a, List.of(id), 6, 100_000);
    clock.advanceMs(Compactor.TAIL_AGE_FACTOR * MIN_AGE_MS);
    Compactor compactor = compactor(a);
    assertThat(compactor.runPass()).isEqualTo(1);
    long firstObject = a.index.bySequence(id, 6).orElseThrow().segmentId();

    // Three of six fragments dead leave just over half of the bytes live: not enough; four dead are.
    assertThat(a.storage.fragments().deleteOlderThan(id, 2006)).isEqualTo(3);
    clock.advanceMs(MIN_AGE_MS);
    assertThat(compactor.runPass()).isZero();
    assertThat(a.storage.fragments().deleteOlderThan(id, 3006)).isEqualTo(1);
    assertThat(compactor.runPass()).isEqualTo(1);

    long secondObject = a.index.bySequence(id, 6).orElseThrow().segmentId();
    assertThat(secondObject).isNotEqualTo(firstObject);
    assertThat(a.count("SELECT COUNT(*) FROM objects WHERE object_id = " + firstObject
        + " AND state = 'UNREFERENCED'")).isEqualTo(1);
    assertThat(a.count("SELECT size_bytes FROM objects WHERE object_id = " + secondObject))
        .isEqualTo(a.count("SELECT SUM(length_bytes) FROM fragments WHERE stream_id = " + id));
    for (long seq = 5; seq <= 6; seq++) {
      assertThat(a.read(a.index.bySequence(id, seq).orElseThrow())).isEqualTo(written.get(id).get((int) seq - 1));
    }
  }

  /** An object store that forwards everything, for tests to override one call. */
  static class Delegating implements ObjectStore {
    private final ObjectStore delegate;

    Delegating(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(String key, long lengthBytes, Supplier<InputStream> content) throws IOException {
      delegate.put(key, lengthBytes, content);
    }

    @Override
    public InputStream openRange(String key, long offset, long lengthBytes) throws IOException {
      return delegate.openRange(key, offset, lengthBytes);
    }

    @Override
    public void delete(String key) throws IOException {
      delegate.delete(key);
    }

    @Override
    public void checkReachable() throws IOException {
      delegate.checkReachable();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
