package io.framekeep.storage.cluster;

import java.io.EOFException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An append-only byte sequence held in fixed-size heap blocks: one fragment's payload while it arrives in
 * pieces from the socket. Blocks are allocated as bytes arrive, so memory follows the payload (rounded up to
 * one block) and nothing is copied again when it grows. Random reads serve {@code readPending}.
 *
 * <p>Not thread-safe: one writer; once sealed by the caller (no more appends) it may be read by any thread.
 */
final class ChunkedBytes {

  /**
   * 64 KiB: large enough that a 50 MiB fragment needs only 800 blocks, small enough that a short audio
   * fragment does not reserve much beyond its size.
   */
  static final int BLOCK_BYTES = 64 << 10;

  private final List<byte[]> blocks = new ArrayList<>();
  private long size;

  /** Appends all remaining bytes of {@code src}. */
  void append(ByteBuffer src) {
    while (src.hasRemaining()) {
      int inBlock = (int) (size % BLOCK_BYTES);
      if (inBlock == 0) {
        blocks.add(new byte[BLOCK_BYTES]);
      }
      byte[] block = blocks.get(blocks.size() - 1);
      int n = Math.min(src.remaining(), BLOCK_BYTES - inBlock);
      src.get(block, inBlock, n);
      size += n;
    }
  }

  long size() {
    return size;
  }

  /** Copies {@code dst.remaining()} bytes starting at {@code offset}. */
  void read(long offset, ByteBuffer dst) throws EOFException {
    if (offset < 0 || offset + dst.remaining() > size) {
      throw new EOFException("range [" + offset + ", " + (offset + dst.remaining()) + ") outside the "
          + size + " bytes written");
    }
    long position = offset;
    while (dst.hasRemaining()) {
      byte[] block = blocks.get((int) (position / BLOCK_BYTES));
      int inBlock = (int) (position % BLOCK_BYTES);
      int n = Math.min(dst.remaining(), BLOCK_BYTES - inBlock);
      dst.put(block, inBlock, n);
      position += n;
    }
  }

  /** A fresh stream over all the bytes (may be called again, e.g. for an upload retry). */
  InputStream newInputStream() {
    List<InputStream> parts = new ArrayList<>(blocks.size());
    long left = size;
    for (byte[] block : blocks) {
      int n = (int) Math.min(left, BLOCK_BYTES);
      parts.add(new java.io.ByteArrayInputStream(block, 0, n));
      left -= n;
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }
}
