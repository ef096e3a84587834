package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.testing.cluster.ClusterServers;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** While uploads are slow, the node's waiting bytes stay under the bound: sealing a fragment waits. */
class BackPressureTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final long MAX_BUFFERED_BYTES = 1000;

  /** Holds every PUT until opened, then lets it through to the real store. */
  private static final class GatedObjectStore implements ObjectStore {
    final CountDownLatch gate = new CountDownLatch(1);
    private final ObjectStore delegate;

    GatedObjectStore(ObjectStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void put(String key, long lengthBytes, Supplier<InputStream> content) throws IOException {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
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

  @Test
  void commitAsync_waitingBytesAtBound_waitsUntilAFlushCompletes() throws Exception {
    ClusterConfig config = TestNode.config(SERVERS, TestDatabases.fresh(SERVERS.postgres()), "node-a", 10, 100,
        10_000);
    Clock clock = Clock.systemUTC();
    try (ClusterDatabase database = ClusterDatabase.open(config.databaseUrl(), null, null);
         GatedObjectStore store = new GatedObjectStore(
             new S3ObjectStore(S3Clients.create(config), config.s3Bucket()))) {
      BatchWriter writer = new BatchWriter(store, database, clock, config.nodeId(), config.flushIntervalMs(),
          config.flushBytes(), 2, MAX_BUFFERED_BYTES);
      ClusterIngest ingest = new ClusterIngest(new StreamLeases(database, config.nodeId(), clock, 10_000), writer, 0);
      PgStreamCatalog catalog = new PgStreamCatalog(database);
      long streamId = catalog.create(new io.framekeep.storage.StreamRecord(0, "cam", "arn:cam", null, null, null,
          "v1", "ACTIVE", 1, 24, null), java.util.Map.of()).streamId();
      long headerId = new PgFragmentIndex(database, clock).putHeader(streamId, new byte[] {1});
      FragmentAppender appender = ingest.openAppender(streamId);
      try {
        CompletableFuture<FragmentRecord> first = TestNode.append(appender, TestNode.payload(1, 600), headerId, 0);
        CompletableFuture<CompletableFuture<FragmentRecord>> second = CompletableFuture.supplyAsync(() -> {
          try {
            return TestNode.append(appender, TestNode.payload(2, 600), headerId, 1);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });

        Thread.sleep(500);
        assertThat(second).isNotDone();
        assertThat(first).isNotDone();
        store.gate.countDown();

        assertThat(first.get(90, TimeUnit.SECONDS).sequence()).isEqualTo(1);
        assertThat(second.get(90, TimeUnit.SECONDS).get(90, TimeUnit.SECONDS).sequence()).isEqualTo(2);
      } finally {
        // Open the gate whatever happened, or closing would wait for uploads that never end.
        store.gate.countDown();
        appender.close();
        ingest.close();
      }
    }
  }
}
