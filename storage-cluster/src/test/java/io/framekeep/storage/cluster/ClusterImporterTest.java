package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.testing.cluster.ClusterServers;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The import path of {@code framekeep migrate} on real PostgreSQL and S3Proxy: original numbers, timestamps and
 * bytes in per-stream objects; the stream's numbering continues after them; an import is fenced by the lease
 * and never overwrites another stream.
 */
class ClusterImporterTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final long TTL_MS = 10_000;
  private static final StreamRecord SOURCE = new StreamRecord(42, "cam", "arn:aws:kinesisvideo:us-east-1:"
      + "123456789012:stream/cam/1600000000000", "dev", "video/h264", "key-1", "v7", "ACTIVE", 1_600_000_000_000L,
      48, "HOT");
  private final MutableClock clock = new MutableClock(System.currentTimeMillis());
  private TestNode a;
  private TestNode b;
  private ClusterImporter importer;

  @BeforeEach
  void open() throws Exception {
    String url = TestDatabases.fresh(SERVERS.postgres());
    a = new TestNode(TestNode.config(SERVERS, url, "importer", 50, 8 << 20, TTL_MS), clock, 0);
    b = new TestNode(TestNode.config(SERVERS, url, "node-b", 50, 8 << 20, TTL_MS), clock, 0);
    importer = new ClusterImporter(a.storage, clock);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private static FragmentRecord fragment(long sequence, long offset, long length, long headerId) {
    return new FragmentRecord(0, sequence, 1000 * sequence, 1000 * sequence + 3, 2000, 0, offset, length,
        headerId, new byte[] {9, (byte) sequence});
  }

  @Test
  void commitObject_twoObjectsWithGaps_rowsAndBytesAsGivenAndIngestContinuesAfterThem() throws Exception {
    byte[] first = TestNode.payload(1, 300);
    byte[] second = TestNode.payload(2, 50);
    long headerId;
    try (ClusterImporter.Target target = importer.openStream(SOURCE, Map.of("site", "north"))) {
      headerId = target.putHeader(new byte[] {1, 2, 3});
      target.commitObject(List.of(fragment(5, 0, 100, headerId), fragment(6, 100, 200, headerId)), first);
      target.commitObject(List.of(fragment(9, 0, 50, headerId)), second);
      assertThat(target.lastSequence()).isEqualTo(9);
    }

    StreamRecord stored = a.catalog.byName("cam").orElseThrow();
    assertThat(stored.withStreamId(42)).isEqualTo(SOURCE);
    assertThat(a.catalog.tags(stored.streamId())).isEqualTo(Map.of("site", "north"));
    FragmentRecord six = a.index.bySequence(stored.streamId(), 6).orElseThrow();
    assertThat(ClusterImporter.sameFragment(six, fragment(6, 0, 200, 0))).isTrue();
    assertThat(a.index.header(six.headerId())).containsExactly(1, 2, 3);
    assertThat(a.index.bySequence(stored.streamId(), 7)).isEmpty();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(first);
    expected.write(second);
    assertThat(a.read(List.of(a.index.bySequence(stored.streamId(), 5).orElseThrow(), six,
        a.index.bySequence(stored.streamId(), 9).orElseThrow()))).isEqualTo(expected.toByteArray());
    assertThat(a.store.puts.get()).isEqualTo(2);
    try (FragmentAppender appender = b.ingest.openAppender(stored.streamId())) {
      FragmentRecord next = TestNode.append(appender, TestNode.payload(3, 10), headerId, 20_000)
          .get(90, TimeUnit.SECONDS);
      assertThat(next.sequence()).isEqualTo(10);
    }
  }

  @Test
  void openStream_again_findsTheImportedStreamAndWhereItStopped() throws Exception {
    try (ClusterImporter.Target target = importer.openStream(SOURCE, Map.of())) {
      long headerId = target.putHeader(new byte[] {1});
      target.commitObject(List.of(fragment(1, 0, 10, headerId)), TestNode.payload(1, 10));
    }

    try (ClusterImporter.Target again = importer.openStream(SOURCE, Map.of())) {
      assertThat(again.lastSequence()).isEqualTo(1);
      assertThat(again.committed(1)).isPresent();
    }
    assertThat(a.catalog.count()).isEqualTo(1);
  }

  @Test
  void openStream_sameNameOtherArnOrTags_refusedAndStreamUnchanged() throws Exception {
    importer.openStream(SOURCE, Map.of("site", "north")).close();
    StreamRecord other = new StreamRecord(0, "cam", SOURCE.arn().replace("1600000000000", "1700000000000"),
        "dev", "video/h264", "key-1", "v7", "ACTIVE", 1_700_000_000_000L, 48, "HOT");

    assertThatThrownBy(() -> importer.openStream(other, Map.of("site", "north")))
        .isInstanceOf(StreamConflictException.class).hasMessageContaining("arn differs");
    assertThatThrownBy(() -> importer.openStream(SOURCE, Map.of("site", "south")))
        .isInstanceOf(StreamConflictException.class).hasMessageContaining("tag set differs");
    StreamRecord stored = a.catalog.byName("cam").orElseThrow();
    assertThat(stored.arn()).isEqualTo(SOURCE.arn());
    assertThat(a.catalog.tags(stored.streamId())).isEqualTo(Map.of("site", "north"));
  }

  @Test
  void commitObject_sequenceNotAboveLast_rejectedBeforeAnyPut() throws Exception {
    try (ClusterImporter.Target target = importer.openStream(SOURCE, Map.of())) {
      long headerId = target.putHeader(new byte[] {1});
      target.commitObject(List.of(fragment(3, 0, 10, headerId)), TestNode.payload(1, 10));
      int puts = a.store.puts.get();

      assertThatThrownBy(() -> target.commitObject(List.of(fragment(3, 0, 10, headerId)),
          TestNode.payload(1, 10))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> target.commitObject(List.of(fragment(4, 5, 10, headerId)),
          TestNode.payload(1, 10))).isInstanceOf(IllegalArgumentException.class);
      assertThat(a.store.puts.get()).isEqualTo(puts);
    }
  }

  @Test
  void commitObject_leaseTakenOverByAnotherNode_leaseLostAndNothingIndexed() throws Exception {
    ClusterImporter.Target target = importer.openStream(SOURCE, Map.of());
    long headerId = target.putHeader(new byte[] {1});
    clock.advanceMs(TTL_MS);
    b.ingest.openAppender(target.stream().streamId()).close();

    assertThatThrownBy(() -> target.commitObject(List.of(fragment(1, 0, 10, headerId)), TestNode.payload(1, 10)))
        .isInstanceOf(LeaseLostException.class);
    assertThat(a.index.bySequence(target.stream().streamId(), 1)).isEmpty();
  }
}
