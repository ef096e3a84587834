package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.storage.StreamBusyException;
import io.framekeep.storage.StreamRecord;
import io.framekeep.testing.cluster.PostgresServer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamLeasesTest {

  private static final long TTL_MS = 10_000;
  private static PostgresServer postgres;
  private final MutableClock clock = new MutableClock(1_800_000_000_000L);
  private ClusterDatabase database;
  private PgStreamCatalog catalog;
  private StreamLeases nodeA;
  private StreamLeases nodeB;
  private long streamId;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void open() throws Exception {
    database = ClusterDatabase.open(TestDatabases.fresh(postgres), null, null);
    catalog = new PgStreamCatalog(database);
    nodeA = new StreamLeases(database, "node-a", clock, TTL_MS);
    nodeB = new StreamLeases(database, "node-b", clock, TTL_MS);
    streamId = catalog.create(new StreamRecord(0, "cam", "arn:cam", null, null, null, "v1", "ACTIVE", 1, 24, null),
        Map.of()).streamId();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void acquire_freeStream_grantsEpochOneUntilTtl() throws Exception {
    Lease lease = nodeA.acquire(streamId);

    assertThat(lease).isEqualTo(new Lease(streamId, "node-a", 1, clock.millis() + TTL_MS, 0));
  }

  @Test
  void acquire_heldByOtherNodeUnexpired_throwsStreamBusy() throws Exception {
    nodeA.acquire(streamId);
    clock.advanceMs(TTL_MS - 1);

    assertThatThrownBy(() -> nodeB.acquire(streamId)).isInstanceOf(StreamBusyException.class);
  }

  @Test
  void acquire_afterExpiry_takesOverWithNextEpochAndFencesOldHolder() throws Exception {
    Lease old = nodeA.acquire(streamId);
    clock.advanceMs(TTL_MS);

    Lease taken = nodeB.acquire(streamId);

    assertThat(taken.epoch()).isEqualTo(old.epoch() + 1);
    assertThat(taken.ownerNode()).isEqualTo("node-b");
    assertThatThrownBy(() -> nodeA.renew(old)).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> nodeA.acquire(streamId)).isInstanceOf(StreamBusyException.class);
  }

  @Test
  void renew_heldLease_extendsExpirySoTakeoverWaits() throws Exception {
    Lease lease = nodeA.acquire(streamId);
    clock.advanceMs(TTL_MS - 1);

    Lease renewed = nodeA.renew(lease);
    clock.advanceMs(TTL_MS - 1);

    assertThat(renewed.expiresAtMs()).isEqualTo(clock.millis() + 1);
    assertThat(renewed.epoch()).isEqualTo(lease.epoch());
    assertThatThrownBy(() -> nodeB.acquire(streamId)).isInstanceOf(StreamBusyException.class);
  }

  @Test
  void release_heldLease_otherNodeAcquiresAtOnce() throws Exception {
    Lease lease = nodeA.acquire(streamId);

    nodeA.release(lease);

    assertThat(nodeB.acquire(streamId).epoch()).isEqualTo(2);
  }

  @Test
  void release_lostLease_leavesNewHolderAlone() throws Exception {
    Lease old = nodeA.acquire(streamId);
    clock.advanceMs(TTL_MS);
    Lease taken = nodeB.acquire(streamId);

    nodeA.release(old);

    assertThat(nodeB.renew(taken).epoch()).isEqualTo(taken.epoch());
  }

  @Test
  void acquire_sameNodeAgain_grantsNextEpoch() throws Exception {
    Lease first = nodeA.acquire(streamId);

    Lease second = nodeA.acquire(streamId);

    assertThat(second.epoch()).isEqualTo(first.epoch() + 1);
    assertThatThrownBy(() -> nodeA.renew(first)).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void acquire_deletedOrUnknownStream_throwsNoSuchFile() throws Exception {
    catalog.delete(streamId);

    assertThatThrownBy(() -> nodeA.acquire(streamId)).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> nodeA.acquire(424242)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void acquire_eightNodesAtOnce_exactlyOneWins() throws Exception {
    int nodes = 8;
    CyclicBarrier start = new CyclicBarrier(nodes);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<Boolean>> won = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        StreamLeases node = new StreamLeases(database, "node-" + i, clock, TTL_MS);
        won.add(pool.submit(() -> {
          start.await();
          try {
            node.acquire(streamId);
            return true;
          } catch (StreamBusyException e) {
            return false;
          }
        }));
      }
      int winners = 0;
      for (Future<Boolean> result : won) {
        winners += result.get() ? 1 : 0;
      }

      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
