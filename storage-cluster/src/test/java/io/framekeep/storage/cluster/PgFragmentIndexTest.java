package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StorageLimitExceededException;
import io.framekeep.storage.TimeOrigin;
import io.framekeep.testing.cluster.ClusterServers;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PgFragmentIndexTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private TestNode node;
  private long streamId;

  @BeforeEach
  void open() throws Exception {
    node = new TestNode(TestNode.config(SERVERS, TestDatabases.fresh(SERVERS.postgres()), "node-a", 50, 8 << 20,
        10_000), Clock.systemUTC(), 3000);
    streamId = node.createStream("cam");
  }

  @AfterEach
  void close() {
    node.close();
  }

  @Test
  void putHeader_sameBytesTwice_storedOnceAndReadBack() throws Exception {
    long first = node.index.putHeader(streamId, new byte[] {1, 2, 3});
    long again = node.index.putHeader(streamId, new byte[] {1, 2, 3});
    long other = node.index.putHeader(streamId, new byte[] {4});

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(node.index.header(first)).containsExactly(1, 2, 3);
    assertThat(node.index.header(other)).containsExactly(4);
  }

  @Test
  void putHeader_tooLargeOrDeletedStream_refused() throws Exception {
    assertThatThrownBy(() -> node.index.putHeader(streamId, new byte[FragmentLog.MAX_HEADER_BYTES + 1]))
        .isInstanceOf(StorageLimitExceededException.class);
    node.catalog.delete(streamId);
    assertThatThrownBy(() -> node.index.putHeader(streamId, new byte[] {1}))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> node.index.header(987654)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void range_byOriginWithCursorAndLimit_matchesTreeMapOrder() throws Exception {
    long headerId = node.index.putHeader(streamId, new byte[] {1});
    // Producer timestamps out of arrival order and with a tie, to exercise (timestamp, sequence) ordering.
    long[] producerMs = {3000, 1000, 2000, 2000, 5000, 4000};
    List<FragmentRecord> written = new ArrayList<>();
    try (FragmentAppender appender = node.ingest.openAppender(streamId)) {
      List<CompletableFuture<FragmentRecord>> done = new ArrayList<>();
      for (int i = 0; i < producerMs.length; i++) {
        done.add(TestNode.append(appender, TestNode.payload(i, 50), headerId, producerMs[i]));
      }
      for (CompletableFuture<FragmentRecord> d : done) {
        written.add(d.get(90, TimeUnit.SECONDS));
      }
    }
    java.util.TreeMap<List<Long>, FragmentRecord> oracle = new java.util.TreeMap<>(
        java.util.Comparator.<List<Long>>comparingLong(k -> k.get(0)).thenComparingLong(k -> k.get(1)));
    written.forEach(r -> oracle.put(List.of(r.producerTimestampMs(), r.sequence()), r));

    List<FragmentRecord> paged = new ArrayList<>();
    FragmentCursor cursor = null;
    while (true) {
      List<FragmentRecord> page = node.index.range(streamId, TimeOrigin.PRODUCER, 2000, 4000, cursor, 2);
      if (page.isEmpty()) {
        break;
      }
      paged.addAll(page);
      cursor = FragmentCursor.of(page.get(page.size() - 1), TimeOrigin.PRODUCER);
    }

    assertThat(paged).containsExactlyElementsOf(
        oracle.subMap(List.of(2000L, 0L), true, List.of(4000L, Long.MAX_VALUE), true).values());
    assertThat(node.index.range(streamId, TimeOrigin.SERVER, 0, Long.MAX_VALUE, null, 100))
        .extracting(FragmentRecord::sequence).containsExactly(2L, 3L, 4L, 1L, 6L, 5L);
    assertThat(node.index.range(streamId, TimeOrigin.PRODUCER, 5000, 4000, null, 100)).isEmpty();
    assertThat(node.index.bySequence(streamId, 7)).isEmpty();
  }
}
