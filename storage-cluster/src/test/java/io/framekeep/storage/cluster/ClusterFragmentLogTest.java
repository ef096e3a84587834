package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.RangeReader;
import io.framekeep.testing.cluster.ClusterServers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cluster backend as the server sees it ({@link ClusterStorage} as a {@code Storage}): fragments written on
 * node A are read back on node B through {@link FragmentLog#open} and {@link FragmentLog#openRanges}, byte for
 * byte; the shared secret is one value for every node; node B hears of node A's commits.
 */
class ClusterFragmentLogTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private TestNode a;
  private TestNode b;
  private long streamId;
  private long headerId;

  @BeforeEach
  void open() throws Exception {
    String url = TestDatabases.fresh(SERVERS.postgres());
    a = new TestNode(TestNode.config(SERVERS, url, "node-a", 50, 8 << 20, 10_000), java.time.Clock.systemUTC(),
        0);
    b = new TestNode(TestNode.config(SERVERS, url, "node-b", 50, 8 << 20, 10_000), java.time.Clock.systemUTC(),
        0);
    streamId = a.createStream("cam");
    headerId = a.storage.fragments().putHeader(streamId, new byte[] {1, 2});
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private List<FragmentRecord> writeOnA(int... lengths) throws Exception {
    List<FragmentRecord> records = new ArrayList<>();
    try (FragmentAppender appender = a.storage.fragments().openAppender(streamId)) {
      for (int i = 0; i < lengths.length; i++) {
        records.add(TestNode.append(appender, TestNode.payload(i, lengths[i]), headerId, 1000L * i)
            .get(60, TimeUnit.SECONDS));
      }
    }
    return records;
  }

  @Test
  void openRanges_onOtherNode_partsOfSeveralFragmentsInOrderByteForByte() throws Exception {
    List<FragmentRecord> written = writeOnA(70_000, 5, 130_000);
    FragmentLog logB = b.storage.fragments();
    List<FragmentRecord> onB = List.of(logB.bySequence(streamId, 1).orElseThrow(),
        logB.bySequence(streamId, 2).orElseThrow(), logB.bySequence(streamId, 3).orElseThrow());
    assertThat(onB).isEqualTo(written);
    List<ByteRange> ranges = List.of(new ByteRange(onB.get(0), 10, 1000), ByteRange.whole(onB.get(1)),
        new ByteRange(onB.get(2), 0, 0), new ByteRange(onB.get(2), 129_000, 1000));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(Arrays.copyOfRange(TestNode.payload(0, 70_000), 10, 1010));
    expected.write(TestNode.payload(1, 5));
    expected.write(Arrays.copyOfRange(TestNode.payload(2, 130_000), 129_000, 130_000));

    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (RangeReader reader = logB.openRanges(ranges)) {
      while (reader.hasNext()) {
        try (ByteSource source = reader.next()) {
          source.awaitReady();
          long sent = 0;
          while (sent < source.lengthBytes()) {
            sent += source.transferTo(sent, source.lengthBytes() - sent, Channels.newChannel(got));
          }
        }
      }
    }

    assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void open_oneRange_readsIntoBufferFromAnyOffset() throws Exception {
    FragmentRecord record = writeOnA(50_000).get(0);
    try (ByteSource source = b.storage.fragments().open(new ByteRange(record, 100, 40_000))) {
      ByteBuffer tail = ByteBuffer.allocate(1000);
      source.read(39_000, tail);

      assertThat(tail.array()).isEqualTo(Arrays.copyOfRange(TestNode.payload(0, 50_000), 39_100, 40_100));
    }
  }

  @Test
  void sharedSecret_askedOnTwoNodes_sameBytes() throws Exception {
    byte[] onA = a.storage.sharedSecret("session-key", 32);
    byte[] onB = b.storage.sharedSecret("session-key", 32);

    assertThat(onA).hasSize(32).isEqualTo(onB);
    assertThat(a.storage.sharedSecret("other-key", 32)).isNotEqualTo(onA);
  }

  @Test
  void onRemoteCommits_commitOnA_reportedOnBNotOnA() throws Exception {
    BlockingQueue<long[]> heardOnB = new ArrayBlockingQueue<>(16);
    BlockingQueue<long[]> heardOnA = new ArrayBlockingQueue<>(16);
    try (AutoCloseable listenB = b.storage.onRemoteCommits((id, seq) -> heardOnB.add(new long[] {id, seq}));
        AutoCloseable listenA = a.storage.onRemoteCommits((id, seq) -> heardOnA.add(new long[] {id, seq}))) {
      Thread.sleep(CommitNotifications.WAIT_MS * 2L); // both LISTENing
      writeOnA(100, 100);

      List<long[]> heard = new ArrayList<>();
      while (heard.isEmpty() || heard.get(heard.size() - 1)[1] < 2) {
        long[] next = heardOnB.poll(5, TimeUnit.SECONDS);
        assertThat(next).as("a commit notification on node B").isNotNull();
        heard.add(next);
      }
      assertThat(heard).allSatisfy(n -> assertThat(n[0]).isEqualTo(streamId));
      assertThat(heardOnA).isEmpty();
    }
  }
}
