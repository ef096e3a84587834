package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.testing.cluster.ClusterServers;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local block cache in front of a real S3 server (S3Proxy), counting the GETs that reach it: a range read
 * again costs no GET, the bound evicts the least recently used blocks, a corrupt or truncated block file is
 * fetched again and never served, concurrent readers of one block share one GET, and deleting an object drops
 * its blocks. Small blocks (64 KiB in chunks of 16 KiB) so that a 300 kB object spans several.
 */
class CachingObjectStoreTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private static final int BLOCK = 64 << 10;
  private static final int CHUNK = 16 << 10;
  private static final long BLOCK_FILE = CacheBlockFile.headerBytes(BLOCK, CHUNK) + BLOCK;
  private static final byte[] OBJECT = TestNode.payload(7, 300_000);
  private static S3ObjectStore s3;
  private static String key;
  private static int nextKey;

  private CountingObjectStore counting;
  private CachingObjectStore cache;
  @TempDir Path dir;

  @BeforeAll
  static void connect() {
    ClusterConfig config = ClusterConfig.from(Map.of("database-url", "jdbc:postgresql://unused/db",
        "s3-endpoint", SERVERS.s3().endpoint(), "s3-bucket", S3ProxyServer.BUCKET, "s3-path-style", "",
        "s3-access-key-id", S3ProxyServer.ACCESS_KEY_ID, "s3-secret-access-key", S3ProxyServer.SECRET_ACCESS_KEY),
        Map.of());
    s3 = new S3ObjectStore(S3Clients.create(config), config.s3Bucket());
  }

  @AfterAll
  static void close() {
    s3.close();
  }

  @BeforeEach
  void putObject() throws IOException {
    key = "cache-test/" + nextKey++;
    s3.put(key, OBJECT.length, () -> new ByteArrayInputStream(OBJECT));
    counting = new CountingObjectStore(new Unclosed(s3));
    cache = CachingObjectStore.open(counting, dir.resolve("cache"), 16 * BLOCK_FILE, BLOCK, CHUNK);
  }

  @AfterEach
  void closeCache() {
    cache.close();
  }

  private static byte[] read(ObjectStore store, long offset, int length) throws IOException {
    try (InputStream in = store.openRange(key, offset, length)) {
      byte[] bytes = in.readAllBytes();
      assertThat(in.read()).isEqualTo(-1);
      return bytes;
    }
  }

  private static byte[] expected(long offset, int length) {
    return Arrays.copyOfRange(OBJECT, (int) offset, (int) offset + length);
  }

  @Test
  void openRange_readTwice_secondReadCostsNoGet() throws Exception {
    assertThat(read(cache, 1_000, 200_000)).isEqualTo(expected(1_000, 200_000));
    assertThat(counting.gets.get()).as("GETs of blocks 0-3").isEqualTo(4);

    counting.gets.set(0);
    assertThat(read(cache, 1_000, 200_000)).isEqualTo(expected(1_000, 200_000));
    assertThat(read(cache, 70_000, 5)).isEqualTo(expected(70_000, 5));
    assertThat(counting.gets.get()).as("GETs of the second reads").isZero();
    assertThat(cache.hitCount()).isPositive();
  }

  @Test
  void openRange_lastBlockOfObject_shortBlockUpToTheEnd() throws Exception {
    assertThat(read(cache, 290_000, 10_000)).isEqualTo(expected(290_000, 10_000));
    assertThat(read(cache, 262_144, 300_000 - 262_144)).isEqualTo(expected(262_144, 300_000 - 262_144));
    assertThat(counting.gets.get()).isEqualTo(1);
    assertThatThrownBy(() -> read(cache, 299_000, 2_000)).isInstanceOf(java.io.EOFException.class);
  }

  @Test
  void openRange_beyondTheBound_leastRecentlyUsedBlockEvicted() throws Exception {
    cache.close();
    cache = CachingObjectStore.open(counting, dir.resolve("small"), 3 * BLOCK_FILE, BLOCK, CHUNK);
    for (int block = 0; block < 4; block++) {
      read(cache, (long) block * BLOCK, 100);
      assertThat(cache.sizeBytes()).isLessThanOrEqualTo(3 * BLOCK_FILE);
    }
    assertThat(cache.evictionCount()).isEqualTo(1);
    try (Stream<Path> files = Files.list(dir.resolve("small/blocks"))) {
      assertThat(files.count()).as("block files on disk").isEqualTo(3);
    }
    counting.gets.set(0);
    read(cache, 3L * BLOCK, 100); // most recent: still here
    assertThat(counting.gets.get()).isZero();
    read(cache, 0, 100); // least recently used: evicted
    assertThat(counting.gets.get()).isEqualTo(1);
  }

  @Test
  void openRange_corruptBlockFile_fetchedAgainNeverServed() throws Exception {
    read(cache, 0, 150_000);
    Path block1 = cache.blocks().file(new CacheBlocks.BlockId(key, 1));
    try (RandomAccessFile f = new RandomAccessFile(block1.toFile(), "rw")) {
      long at = CacheBlockFile.headerBytes(BLOCK, CHUNK) + 3 * CHUNK + 5;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }
    counting.gets.set(0);

    assertThat(read(cache, 0, 150_000)).isEqualTo(expected(0, 150_000));
    assertThat(counting.gets.get()).as("the corrupt block fetched again").isEqualTo(1);
    assertThat(cache.corruptCount()).isEqualTo(1);

    counting.gets.set(0);
    assertThat(read(cache, 0, 150_000)).isEqualTo(expected(0, 150_000));
    assertThat(counting.gets.get()).as("the fresh copy is served").isZero();
  }

  @Test
  void openRange_truncatedBlockFile_fetchedAgain() throws Exception {
    read(cache, 0, 100);
    Path block0 = cache.blocks().file(new CacheBlocks.BlockId(key, 0));
    try (RandomAccessFile f = new RandomAccessFile(block0.toFile(), "rw")) {
      f.setLength(f.length() - 1000); // as a full disk or a crash would leave it
    }
    counting.gets.set(0);

    assertThat(read(cache, 0, 60_000)).isEqualTo(expected(0, 60_000));
    assertThat(counting.gets.get()).isEqualTo(1);
    assertThat(cache.corruptCount()).isEqualTo(1);
  }

  @Test
  void openRange_concurrentReadersOfOneBlock_oneGet() throws Exception {
    cache.close();
    cache = CachingObjectStore.open(new CountingObjectStore(new Slow(counting)), dir.resolve("slow"),
        16 * BLOCK_FILE, BLOCK, CHUNK);
    int readers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < readers; i++) {
        int offset = i * 1000;
        results.add(pool.submit(() -> {
          go.await();
          return read(cache, offset, 50_000);
        }));
      }
      go.countDown();
      for (int i = 0; i < readers; i++) {
        assertThat(results.get(i).get()).isEqualTo(expected(i * 1000, 50_000));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counting.gets.get()).as("GETs of one block by %d readers", readers).isEqualTo(1);
  }

  @Test
  void delete_throughTheCache_dropsItsBlocks() throws Exception {
    read(cache, 0, 200_000);
    assertThat(cache.sizeBytes()).isPositive();

    cache.delete(key);

    assertThat(cache.sizeBytes()).isZero();
    assertThatThrownBy(() -> read(cache, 0, 100)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void evict_objectDeletedElsewhere_nextReadAsksTheStore() throws Exception {
    read(cache, 0, 100);
    s3.delete(key);
    assertThat(read(cache, 0, 100)).as("immutable: served from the cache").isEqualTo(expected(0, 100));

    cache.evict(key);

    assertThatThrownBy(() -> read(cache, 0, 100)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void open_afterRestart_wipedAndLockedToOneProcess() throws Exception {
    read(cache, 0, 200_000);
    assertThatThrownBy(() -> CachingObjectStore.open(counting, dir.resolve("cache"), 16 * BLOCK_FILE, BLOCK,
        CHUNK)).hasMessageContaining("in use");
    cache.close();

    cache = CachingObjectStore.open(counting, dir.resolve("cache"), 16 * BLOCK_FILE, BLOCK, CHUNK);

    try (Stream<Path> files = Files.list(dir.resolve("cache/blocks"))) {
      assertThat(files.count()).isZero();
    }
    counting.gets.set(0);
    assertThat(read(cache, 0, 100)).isEqualTo(expected(0, 100));
    assertThat(counting.gets.get()).isEqualTo(1);
  }

  @Test
  void openRange_cacheDirectoryUnwritable_readsFromTheStore() throws Exception {
    Path blocks = dir.resolve("cache/blocks");
    Files.delete(blocks);
    Files.writeString(blocks, "not a directory"); // every block write fails, as on a full disk

    assertThat(read(cache, 1_000, 200_000)).isEqualTo(expected(1_000, 200_000));
    assertThat(cache.sizeBytes()).isZero();
  }

  /** Keeps the shared client open when a test's cache is closed. */
  private record Unclosed(ObjectStore store) implements ObjectStore {
    @Override
    public void put(String k, long lengthBytes, Supplier<InputStream> content) throws IOException {
      store.put(k, lengthBytes, content);
    }

    @Override
    public InputStream openRange(String k, long offset, long lengthBytes) throws IOException {
      return store.openRange(k, offset, lengthBytes);
    }

    @Override
    public InputStream openRangeUpTo(String k, long offset, long maxLengthBytes) throws IOException {
      return store.openRangeUpTo(k, offset, maxLengthBytes);
    }

    @Override
    public void delete(String k) throws IOException {
      store.delete(k);
    }

    @Override
    public void checkReachable() throws IOException {
      store.checkReachable();
    }

    @Override
    public void close() {
      // shared by the tests
    }
  }

  /** Answers each GET 300 ms late, so that concurrent readers surely overlap. */
  private record Slow(ObjectStore store) implements ObjectStore {
    @Override
    public void put(String k, long lengthBytes, Supplier<InputStream> content) throws IOException {
      store.put(k, lengthBytes, content);
    }

    @Override
    public InputStream openRange(String k, long offset, long lengthBytes) throws IOException {
      pause();
      return store.openRange(k, offset, lengthBytes);
    }

    @Override
    public InputStream openRangeUpTo(String k, long offset, long maxLengthBytes) throws IOException {
      pause();
      return store.openRangeUpTo(k, offset, maxLengthBytes);
    }

    private static void pause() throws IOException {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }

    @Override
    public void delete(String k) throws IOException {
      store.delete(k);
    }

    @Override
    public void checkReachable() throws IOException {
      store.checkReachable();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
