package io.framekeep.storage.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ObjectStore} decorator that keeps the blocks of objects read recently in a local directory
 * ({@code --cache-dir}, bounded by {@code --cache-size}), so that a clip read again costs no GET. Objects are
 * immutable, so a cached block never goes stale; only deleting an object drops its blocks ({@link #delete}
 * through this decorator, or {@link #evict} for a delete made elsewhere). Blocks of an object another node
 * deleted stay until the bound evicts them: objects are deleted only once no index row points into them, so
 * those blocks are never asked for again.
 *
 * <p>Reads are split into aligned blocks of {@link #DEFAULT_BLOCK_BYTES}; a block not here is fetched whole
 * with one ranged GET (the last block of an object up to its end), however many readers want it at once, and
 * written in the checked format of {@link CacheBlockFile}; the least recently used blocks are deleted beyond
 * the bound ({@link CacheBlocks}). A block that fails its checks is fetched again, never served. If the
 * directory cannot be written (disk full) reads go to the store. The directory is wiped when the node starts.
 *
 * <p>Writes pass straight through: a node rarely reads back what it just wrote, and a write-through copy would
 * double the disk traffic of ingest.
 *
 * <p>Thread safety: any thread, like every {@link ObjectStore}.
 */
public final class CachingObjectStore implements ObjectStore {

  static final Logger LOG = LoggerFactory.getLogger(CachingObjectStore.class);

  /**
   * 4 MiB blocks: an aligned block of this size holds a few seconds of a typical stream, so one GET serves the
   * fragments a clip reads next; large enough that per-request latency is paid rarely, small enough that a
   * short read does not pull much it does not need, and 1024 files make the default 4 GiB cache.
   */
  public static final int DEFAULT_BLOCK_BYTES = 4 << 20;

  /** 64 KiB checksum chunks: one read buffer per open range, and a corrupt chunk is found before it is sent. */
  public static final int DEFAULT_CHUNK_BYTES = 64 << 10;

  /**
   * 32 MiB, eight blocks, the smallest cache allowed: below it, the few ranges one clip reads ahead would evict
   * each other before they are read.
   */
  public static final long MIN_CACHE_BYTES = 8L * DEFAULT_BLOCK_BYTES;

  private final ObjectStore store;
  private final CacheBlocks blocks;

  private CachingObjectStore(ObjectStore store, CacheBlocks blocks) {
    this.store = store;
    this.blocks = blocks;
  }

  /**
   * A cache of at most {@code maxBytes} in {@code dir} (created if absent, wiped, locked for this process) in
   * front of {@code store}.
   *
   * @throws IOException if the directory cannot be used (not writable, held by another process)
   */
  public static CachingObjectStore open(ObjectStore store, Path dir, long maxBytes) throws IOException {
    return open(store, dir, maxBytes, DEFAULT_BLOCK_BYTES, DEFAULT_CHUNK_BYTES);
  }

  /** {@link #open(ObjectStore, Path, long)} with other block and chunk sizes (tests). */
  static CachingObjectStore open(ObjectStore store, Path dir, long maxBytes, int blockBytes, int chunkBytes)
      throws IOException {
    if (blockBytes <= 0 || chunkBytes <= 0 || blockBytes % chunkBytes != 0 || maxBytes < blockBytes) {
      throw new IllegalArgumentException("cache of " + maxBytes + " bytes in blocks of " + blockBytes
          + " and chunks of " + chunkBytes);
    }
    return new CachingObjectStore(store, CacheBlocks.open(dir, store, maxBytes, blockBytes, chunkBytes));
  }

  @Override
  public void put(String key, long lengthBytes, Supplier<InputStream> content) throws IOException {
    store.put(key, lengthBytes, content);
  }

  @Override
  public InputStream openRange(String key, long offset, long lengthBytes) throws IOException {
    if (offset < 0 || lengthBytes <= 0) {
      throw new IllegalArgumentException("bad range: offset " + offset + ", length " + lengthBytes);
    }
    return CachedRangeStream.open(blocks, store, key, offset, lengthBytes);
  }

  /** Not cached: a read to an object's end is not what the read path does. */
  @Override
  public InputStream openRangeUpTo(String key, long offset, long maxLengthBytes) throws IOException {
    return store.openRangeUpTo(key, offset, maxLengthBytes);
  }

  /** Drops the object's cached blocks, then deletes it. */
  @Override
  public void delete(String key) throws IOException {
    evict(key);
    store.delete(key);
  }

  /** Drops every cached block of {@code key}: for an object deleted other than through this decorator. */
  public void evict(String key) {
    blocks.evict(key);
  }

  @Override
  public void checkReachable() throws IOException {
    store.checkReachable();
  }

  /** Reads served from cached blocks, by block opened. */
  public long hitCount() {
    return blocks.hits.get();
  }

  /** Blocks fetched from the store. */
  public long missCount() {
    return blocks.misses.get();
  }

  /** Blocks found corrupt and fetched again. */
  public long corruptCount() {
    return blocks.corrupt.get();
  }

  /** Blocks evicted to stay within the bound. */
  public long evictionCount() {
    return blocks.evictions.get();
  }

  /** Bytes of the complete block files. */
  public long sizeBytes() {
    return blocks.sizeBytes();
  }

  CacheBlocks blocks() {
    return blocks;
  }

  @Override
  public void close() {
    try {
      blocks.close();
    } finally {
      store.close();
    }
  }
}
