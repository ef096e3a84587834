package io.framekeep.storage.cluster;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.testing.cluster.ClusterServers;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated cluster node wired to the test servers: a {@link ClusterStorage} (its own pool, object store
 * client counted by {@link CountingObjectStore}, leases, batch writer and ingest), sharing the database and the
 * bucket with the other nodes of the test.
 */
final class TestNode implements AutoCloseable {

  final ClusterConfig config;
  final ClusterStorage storage;
  final CountingObjectStore store;
  final ClusterIngest ingest;
  final PgFragmentIndex index;
  final PgStreamCatalog catalog;

  TestNode(ClusterConfig config, Clock clock, long renewPeriodMs) throws IOException {
    this.config = config;
    CountingObjectStore[] counting = new CountingObjectStore[1];
    this.storage = ClusterStorage.open(config, clock, s -> counting[0] = new CountingObjectStore(s), renewPeriodMs);
    this.store = counting[0];
    this.ingest = storage.ingest();
    this.index = storage.index();
    this.catalog = storage.catalog();
  }

  /** The configuration of a node of the test servers' cluster on database {@code jdbcUrl}. */
  static ClusterConfig config(ClusterServers servers, String jdbcUrl, String nodeId, long flushIntervalMs,
      long flushBytes, long leaseTtlMs) {
    return ClusterConfig.from(Map.of(
        "database-url", jdbcUrl,
        "s3-endpoint", servers.s3().endpoint(),
        "s3-bucket", S3ProxyServer.BUCKET,
        "s3-region", S3ProxyServer.REGION,
        "s3-path-style", "true",
        "s3-access-key-id", S3ProxyServer.ACCESS_KEY_ID,
        "s3-secret-access-key", S3ProxyServer.SECRET_ACCESS_KEY,
        "node-id", nodeId,
        "flush-interval-ms", Long.toString(flushIntervalMs),
        "flush-bytes", Long.toString(flushBytes)), Map.of("FRAMEKEEP_LEASE_TTL_MS", Long.toString(leaseTtlMs)));
  }

  long createStream(String name) throws Exception {
    return catalog.create(new StreamRecord(0, name, "arn:aws:kinesisvideo:us-east-1:123456789012:stream/" + name
        + "/1", "cam", "video/h264", null, "v1", "ACTIVE", 1_700_000_000_000L, 24, "HOT"), Map.of()).streamId();
  }

  /** Writes {@code payload} as one fragment (in two pieces) and seals it. */
  static CompletableFuture<FragmentRecord> append(FragmentAppender appender, byte[] payload, long headerId,
      long producerMs) throws IOException {
    int half = payload.length / 2;
    appender.write(ByteBuffer.wrap(payload, 0, half));
    appender.write(ByteBuffer.wrap(payload, half, payload.length - half));
    return appender.commitAsync(new FragmentMetadata(producerMs, producerMs + 5, 2000, headerId,
        new byte[] {7, (byte) producerMs}));
  }

  /** Deterministic payload bytes, distinct per seed. */
  static byte[] payload(int seed, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 31 + i * 7 + (i >> 8));
    }
    return bytes;
  }

  /** A fragment's payload read back from the bucket through ranged GETs. */
  byte[] read(FragmentRecord record) throws IOException {
    return read(List.of(record));
  }

  /** Fragments' payloads, concatenated in order, read back through one ranged reader. */
  byte[] read(List<FragmentRecord> records) throws IOException {
    List<ObjectRange> ranges = new java.util.ArrayList<>();
    for (FragmentRecord r : records) {
      ranges.add(new ObjectRange(index.objectKey(r.segmentId()), r.offset(), r.lengthBytes()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    storage.reader().copyTo(ranges, out);
    return out.toByteArray();
  }

  long count(String sqlCount) throws IOException {
    return storage.database().io("count", c -> Sql.query(c, sqlCount, s -> { }, row -> row.getLong(1)).get(0));
  }

  @Override
  public void close() {
    storage.close();
  }
}
