package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.testing.cluster.ClusterServers;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RangedReaderTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final ExecutorService OPENER = Executors.newCachedThreadPool();
  private static CountingObjectStore store;
  private static final byte[] OBJECT_A = TestNode.payload(1, 300_000);
  private static final byte[] OBJECT_B = TestNode.payload(2, 300_000);

  @BeforeAll
  static void putObjects() throws Exception {
    ClusterConfig config = ClusterConfig.from(Map.of("database-url", "jdbc:postgresql://unused/db",
        "s3-endpoint", SERVERS.s3().endpoint(), "s3-bucket", S3ProxyServer.BUCKET, "s3-path-style", "",
        "s3-access-key-id", S3ProxyServer.ACCESS_KEY_ID, "s3-secret-access-key", S3ProxyServer.SECRET_ACCESS_KEY),
        Map.of());
    store = new CountingObjectStore(new S3ObjectStore(S3Clients.create(config), config.s3Bucket()));
    store.put("a", OBJECT_A.length, () -> new ByteArrayInputStream(OBJECT_A));
    store.put("b", OBJECT_B.length, () -> new ByteArrayInputStream(OBJECT_B));
  }

  @AfterAll
  static void close() {
    store.close();
    OPENER.shutdownNow();
  }

  /**
   * Zeroes the counters once the GETs an earlier test abandoned are closed: a reader closed early
   * closes the GETs it had opened ahead as they complete, possibly after that test returned, and
   * one still open would count against this test's window.
   */
  private static void resetCounts() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (store.openNow.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(store.openNow.get()).as("GETs left open by an earlier test").isZero();
    store.gets.set(0);
    store.maxOpen.set(0);
  }

  private static byte[] slice(byte[] bytes, int from, int length) {
    return java.util.Arrays.copyOfRange(bytes, from, from + length);
  }

  @Test
  void plan_adjacentOrShortGapSameObject_oneGetUpToLimitOthersKept() {
    ObjectRange a0 = new ObjectRange("a", 0, 10);
    ObjectRange a10 = new ObjectRange("a", 10, 5);
    ObjectRange a15 = new ObjectRange("a", 15, 20);
    ObjectRange a40 = new ObjectRange("a", 40, 5);   // 5-byte gap: within 8
    ObjectRange a60 = new ObjectRange("a", 60, 5);   // 15-byte gap: too far
    ObjectRange a62 = new ObjectRange("a", 62, 1);   // overlaps: never joined
    ObjectRange b45 = new ObjectRange("b", 45, 5);   // other object
    ObjectRange b50 = new ObjectRange("b", 50, 100); // longer than the limit alone

    List<CoalescedGet> gets = CoalescedGet.plan(List.of(a0, a10, a15, a40, a60, a62, b45, b50), 40, 8);

    assertThat(gets).containsExactly(
        new CoalescedGet(new ObjectRange("a", 0, 35), List.of(a0, a10, a15)),
        new CoalescedGet(new ObjectRange("a", 40, 5), List.of(a40)),   // joining would span 45 > 40
        new CoalescedGet(a60, List.of(a60)),
        new CoalescedGet(a62, List.of(a62)),
        new CoalescedGet(b45, List.of(b45)),
        new CoalescedGet(b50, List.of(b50)));
    assertThat(CoalescedGet.plan(List.of(a15, a40), 40, 8))
        .containsExactly(new CoalescedGet(new ObjectRange("a", 15, 30), List.of(a15, a40)));
  }

  @Test
  void copyTo_rangesWithShortGaps_oneGetGapBytesDropped() throws Exception {
    resetCounts();
    List<ObjectRange> ranges = new ArrayList<>();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    // Fragments of 9,000 bytes with 1,000-byte headers between them, as a clip reads a per-stream object.
    for (int offset = 1_000; offset + 9_000 <= 200_000; offset += 10_000) {
      ranges.add(new ObjectRange("a", offset, 9_000));
      expected.write(slice(OBJECT_A, offset, 9_000));
    }
    // Beyond the gap limit: a GET of its own.
    long far = 200_000 + RangedReader.DEFAULT_MAX_GAP_BYTES + 1;
    store.put("c", far + 10, () -> new ByteArrayInputStream(new byte[(int) far + 10]));
    ranges.add(new ObjectRange("c", 0, 10));
    ranges.add(new ObjectRange("c", far, 10));
    expected.write(new byte[20]);
    RangedReader reader = new RangedReader(store, OPENER, 4, RangedReader.DEFAULT_MAX_COALESCED_BYTES);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long copied = reader.copyTo(ranges, out);

    assertThat(copied).isEqualTo(expected.size());
    assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(store.gets.get()).as("one GET for object a, two for c").isEqualTo(3);
  }

  @Test
  void open_objectShorterThanItsGet_failsRatherThanReturnShortData() throws Exception {
    resetCounts();
    store.put("short", 500, () -> new ByteArrayInputStream(new byte[500]));
    RangedReader reader = new RangedReader(store, OPENER, 2, RangedReader.DEFAULT_MAX_COALESCED_BYTES);

    assertThatThrownBy(() -> reader.copyTo(List.of(new ObjectRange("short", 0, 100),
        new ObjectRange("short", 200, 700)), new ByteArrayOutputStream()))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("returned 500 bytes");
  }

  @Test
  void copyTo_adjacentFragments_oneGetPerObjectAndBytesInOrder() throws Exception {
    resetCounts();
    List<ObjectRange> ranges = new ArrayList<>();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int offset = 0; offset < 200_000; offset += 10_000) {
      ranges.add(new ObjectRange("a", offset, 10_000));
    }
    expected.write(slice(OBJECT_A, 0, 200_000));
    ranges.add(new ObjectRange("b", 1000, 500));
    expected.write(slice(OBJECT_B, 1000, 500));
    RangedReader reader = new RangedReader(store, OPENER, 4, RangedReader.DEFAULT_MAX_COALESCED_BYTES);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long copied = reader.copyTo(ranges, out);

    assertThat(copied).isEqualTo(200_500);
    assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(store.gets.get()).isEqualTo(2);
  }

  @Test
  void open_manyScatteredRanges_opensSeveralAheadButNoMoreThanTheWindow() throws Exception {
    resetCounts();
    List<ObjectRange> ranges = new ArrayList<>();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int i = 0; i < 24; i++) {
      byte[] object = i % 2 == 0 ? OBJECT_A : OBJECT_B;
      int offset = 1000 + i * 9_000;
      ranges.add(new ObjectRange(i % 2 == 0 ? "a" : "b", offset, 4_000));
      expected.write(slice(object, offset, 4_000));
    }
    RangedReader reader = new RangedReader(store, OPENER, 3, RangedReader.DEFAULT_MAX_COALESCED_BYTES);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = reader.open(ranges)) {
      byte[] buffer = new byte[1000];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        // Slow consumer: the GETs opened ahead get time to complete.
        Thread.sleep(1);
      }
    }

    assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(store.gets.get()).isEqualTo(24);
    // The one being read plus at most 3 opened ahead.
    assertThat(store.maxOpen.get()).isBetween(2, 4);
    assertThat(store.openNow.get()).isZero();
  }

  @Test
  void close_beforeTheEnd_releasesEveryOpenedGet() throws Exception {
    resetCounts();
    List<ObjectRange> ranges = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ranges.add(new ObjectRange("a", i * 20_000, 5_000));
    }
    RangedReader reader = new RangedReader(store, OPENER, 4, RangedReader.DEFAULT_MAX_COALESCED_BYTES);

    InputStream in = reader.open(ranges);
    assertThat(in.readNBytes(100)).isEqualTo(slice(OBJECT_A, 0, 100));
    in.close();

    long deadline = System.nanoTime() + 30_000_000_000L;
    while (store.openNow.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(store.openNow.get()).isZero();
    assertThat(store.gets.get()).isLessThanOrEqualTo(5);
  }

  @Test
  void open_missingObject_failsWithNoSuchFile() {
    RangedReader reader = new RangedReader(store, OPENER, 2, RangedReader.DEFAULT_MAX_COALESCED_BYTES);

    assertThatThrownBy(() -> reader.copyTo(List.of(new ObjectRange("missing", 0, 10)), new ByteArrayOutputStream()))
        .isInstanceOf(NoSuchFileException.class);
  }
}
