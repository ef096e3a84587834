package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamBusyException;
import io.framekeep.testing.cluster.ClusterServers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lease renewal by the node: renewals keep a stream; a renewal that finds the lease lost stops the session. */
class ClusterIngestTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final long TTL_MS = 10_000;
  private final MutableClock clock = new MutableClock(System.currentTimeMillis());
  private TestNode a;
  private TestNode b;
  private long streamId;
  private long headerId;

  @BeforeEach
  void open() throws Exception {
    String url = TestDatabases.fresh(SERVERS.postgres());
    // Renewal period 0: the test calls renewAll() itself, so the order of events is exact.
    a = new TestNode(TestNode.config(SERVERS, url, "node-a", 50, 8 << 20, TTL_MS), clock, 0);
    b = new TestNode(TestNode.config(SERVERS, url, "node-b", 50, 8 << 20, TTL_MS), clock, 0);
    streamId = a.createStream("cam");
    headerId = a.index.putHeader(streamId, new byte[] {1});
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void renewAll_beforeExpiry_keepsTheStreamPastTheFirstExpiry() throws Exception {
    try (FragmentAppender appender = a.ingest.openAppender(streamId)) {
      clock.advanceMs(TTL_MS - 1);
      a.ingest.renewAll();
      clock.advanceMs(2);

      assertThatThrownBy(() -> b.ingest.openAppender(streamId)).isInstanceOf(StreamBusyException.class);
      FragmentRecord record = TestNode.append(appender, TestNode.payload(1, 100), headerId, 0)
          .get(90, TimeUnit.SECONDS);
      assertThat(record.sequence()).isEqualTo(1);
    }
  }

  @Test
  void renewAll_leaseTakenOver_failsTheSessionBeforeAnyUpload() throws Exception {
    FragmentAppender stale = a.ingest.openAppender(streamId);
    clock.advanceMs(TTL_MS);
    b.ingest.openAppender(streamId).close();
    int putsBefore = a.store.puts.get();

    a.ingest.renewAll();
    CompletableFuture<FragmentRecord> refused = TestNode.append(stale, TestNode.payload(1, 100), headerId, 0);
    stale.close();

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(LeaseLostException.class);
    assertThat(a.store.puts.get()).isEqualTo(putsBefore);
  }
}
