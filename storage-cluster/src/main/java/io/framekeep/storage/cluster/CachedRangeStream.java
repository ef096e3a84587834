package io.framekeep.storage.cluster;

import io.framekeep.storage.cluster.CacheBlocks.BlockId;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Bytes {@code [offset, end)} of one object read through the block cache: block by block, each chunk checked
 * against its checksum before any of its bytes is handed out. Memory: one chunk buffer, whatever the range.
 *
 * <p>A chunk that fails its checksum drops the block, which is fetched again from the store and read on from
 * the same position; a second failure of the fresh copy is an error. If the cache directory cannot be written
 * (disk full), the rest of the range is read straight from the store.
 *
 * <p>Not thread-safe: one consumer, like any stream.
 */
final class CachedRangeStream extends BulkInputStream {

  private final CacheBlocks blocks;
  private final ObjectStore store;
  private final String key;
  private final long end;
  private final ByteBuffer chunk;
  private long position;
  private BlockId blockId;
  private CacheBlockFile block;
  private int chunkIndex = -1;
  /** The rest of the range straight from the store, once the cache directory failed. */
  private InputStream bypass;
  private boolean closed;

  private CachedRangeStream(CacheBlocks blocks, ObjectStore store, String key, long offset, long lengthBytes) {
    this.blocks = blocks;
    this.store = store;
    this.key = key;
    this.position = offset;
    this.end = offset + lengthBytes;
    this.chunk = ByteBuffer.allocate(blocks.chunkBytes());
  }

  /**
   * Opens the range and its first block, so that a failure of the store shows here, as with the store itself,
   * and the first block is fetched on the opening thread (ranges opened ahead are fetched in parallel).
   */
  static InputStream open(CacheBlocks blocks, ObjectStore store, String key, long offset, long lengthBytes)
      throws IOException {
    CachedRangeStream stream = new CachedRangeStream(blocks, store, key, offset, lengthBytes);
    try {
      stream.openBlock();
      return stream;
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (length == 0) {
      return 0;
    }
    if (position >= end) {
      return -1;
    }
    if (bypass == null) {
      openBlock();
    }
    if (bypass != null) {
      int n = bypass.read(buffer, offset, (int) Math.min(length, end - position));
      if (n < 0) {
        throw new EOFException(key + " ended " + (end - position) + " bytes before the range did");
      }
      position += n;
      return n;
    }
    int blockBytes = blocks.blockBytes();
    int inBlock = (int) (position % blockBytes);
    int index = inBlock / blocks.chunkBytes();
    if (index != chunkIndex) {
      readChunk(index);
      if (bypass != null) {
        return read(buffer, offset, length);
      }
    }
    int inChunk = inBlock - index * blocks.chunkBytes();
    int n = (int) Math.min(Math.min(length, chunk.limit() - inChunk), end - position);
    if (n <= 0) {
      throw new EOFException(key + " ended " + (end - position) + " bytes before the range did");
    }
    chunk.get(inChunk, buffer, offset, n);
    position += n;
    return n;
  }

  /** Makes {@link #block} the block holding {@link #position}, or switches to {@link #bypass}. */
  private void openBlock() throws IOException {
    BlockId wanted = new BlockId(key, position / blocks.blockBytes());
    if (wanted.equals(blockId) && block != null) {
      return;
    }
    closeBlock();
    try {
      block = blocks.open(wanted);
      blockId = wanted;
      chunkIndex = -1;
    } catch (CacheBlocks.LocalDiskException e) {
      CachingObjectStore.LOG.warn("local cache unusable, reading {} from the object store: {}", key,
          e.getMessage());
      bypass = store.openRange(key, position, end - position);
    }
  }

  private void readChunk(int index) throws IOException {
    if ((long) index * blocks.chunkBytes() >= block.lengthBytes()) {
      throw new EOFException(key + " ends at " + (blockId.index() * blocks.blockBytes() + block.lengthBytes())
          + ", before the range does");
    }
    try {
      block.readChunk(index, chunk);
    } catch (CacheBlockFile.CorruptBlockException e) {
      CachingObjectStore.LOG.warn("cache block {} of {} is corrupt ({}); fetching it again", blockId.index(), key,
          e.getMessage());
      blocks.dropCorrupt(blockId);
      closeBlock();
      openBlock();
      if (bypass != null) {
        chunkIndex = -1;
        return;
      }
      block.readChunk(index, chunk);
    }
    chunkIndex = index;
  }

  private void closeBlock() throws IOException {
    chunkIndex = -1;
    if (block != null) {
      CacheBlockFile b = block;
      block = null;
      blockId = null;
      b.close();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeBlock();
    } finally {
      if (bypass != null) {
        bypass.close();
      }
    }
  }
}
