package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import io.framekeep.testing.cluster.ClusterServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes take a stream from each other again and again while the previous holder still has fragments in
 * flight. Whatever the interleaving, the committed fragments must be numbered 1..N without gaps or duplicates,
 * every acknowledged fragment must be exactly what the index and the bucket hold, and every refused one must
 * have been refused for its lost lease.
 */
class FencingRaceTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final long TTL_MS = 10_000;
  private static final int ROUNDS = 6;

  @Test
  void takeovers_withCommitsInFlight_committedNumbersContiguousAndAckedBytesIntact() throws Exception {
    String url = TestDatabases.fresh(SERVERS.postgres());
    MutableClock clock = new MutableClock(System.currentTimeMillis());
    try (TestNode a = new TestNode(TestNode.config(SERVERS, url, "node-a", 20, 8 << 20, TTL_MS), clock, 0);
         TestNode b = new TestNode(TestNode.config(SERVERS, url, "node-b", 20, 8 << 20, TTL_MS), clock, 0)) {
      TestNode[] nodes = {a, b};
      long streamId = a.createStream("cam");
      long headerId = a.index.putHeader(streamId, new byte[] {1});
      Map<CompletableFuture<FragmentRecord>, byte[]> sent = new HashMap<>();
      FragmentAppender holder = a.ingest.openAppender(streamId);
      int seed = 0;
      for (int round = 0; round < ROUNDS; round++) {
        FragmentAppender stale = holder;
        for (int i = 0; i < 5; i++) {
          byte[] payload = TestNode.payload(++seed, 300 + seed);
          CompletableFuture<FragmentRecord> done = TestNode.append(stale, payload, headerId, seed);
          sent.put(done, payload);
          if (i < 2) {
            // Persisted before the takeover: the holder's numbering must carry over.
            done.get(90, TimeUnit.SECONDS);
          }
        }
        clock.advanceMs(TTL_MS + 1);
        holder = nodes[(round + 1) % 2].ingest.openAppender(streamId);
        for (int i = 0; i < 3; i++) {
          byte[] payload = TestNode.payload(++seed, 300 + seed);
          sent.put(TestNode.append(stale, payload, headerId, seed), payload);
        }
        stale.close();
      }
      holder.close();

      List<FragmentRecord> acked = new ArrayList<>();
      int refused = 0;
      for (Map.Entry<CompletableFuture<FragmentRecord>, byte[]> fragment : sent.entrySet()) {
        try {
          FragmentRecord record = fragment.getKey().get(90, TimeUnit.SECONDS);
          acked.add(record);
          assertThat(a.read(record)).isEqualTo(fragment.getValue());
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(LeaseLostException.class);
          refused++;
        }
      }
      List<FragmentRecord> committed = a.index.range(streamId, TimeOrigin.SERVER, 0, Long.MAX_VALUE, null, 1000);
      assertThat(committed).containsExactlyInAnyOrderElementsOf(acked);
      assertThat(committed).extracting(FragmentRecord::sequence).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, acked.size()).boxed().toList());
      // Each round's first 2 fragments were persisted before the takeover; its last 3 were sealed after it.
      assertThat(acked.size()).isGreaterThanOrEqualTo(2 * ROUNDS);
      assertThat(refused).isGreaterThanOrEqualTo(3 * ROUNDS);
      assertThat(acked.size() + refused).isEqualTo(8 * ROUNDS);
    }
  }
}
