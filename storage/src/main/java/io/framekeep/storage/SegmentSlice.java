package io.framekeep.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletionStage;

/**
 * The embedded backend's {@link ByteSource}: bytes {@code [position, position + lengthBytes)} of an open
 * segment file. {@link #transferTo} is {@link FileChannel#transferTo}, which the JDK turns into
 * {@code sendfile} when the target is a socket: the bytes go from the page cache to the socket without
 * entering the Java heap. Always ready.
 *
 * <p>The channel is either owned (closed with the slice: a source opened alone) or shared with the other
 * slices of a {@link SegmentRangeReader} (closed with the reader).
 */
final class SegmentSlice implements ByteSource {
  private final FileChannel file;
  private final long position;
  private final long lengthBytes;
  private final boolean ownsFile;

  SegmentSlice(FileChannel file, long position, long lengthBytes, boolean ownsFile) {
    this.file = file;
    this.position = position;
    this.lengthBytes = lengthBytes;
    this.ownsFile = ownsFile;
  }

  @Override
  public long lengthBytes() {
    return lengthBytes;
  }

  @Override
  public CompletionStage<Void> ready() {
    return READY;
  }

  @Override
  public long transferTo(long offset, long count, WritableByteChannel target) throws IOException {
    long n = Math.min(count, lengthBytes - offset);
    if (n <= 0) {
      return 0;
    }
    long written = file.transferTo(position + offset, n, target);
    // transferTo answers 0 both for a full socket buffer and for a file that ends: tell them apart.
    if (written == 0 && position + offset >= file.size()) {
      throw new EOFException("segment file ended at " + file.size() + " inside a range ending at "
          + (position + lengthBytes));
    }
    return written;
  }

  @Override
  public void read(long offset, ByteBuffer dst) throws IOException {
    if (offset < 0 || offset > lengthBytes - dst.remaining()) {
      throw new EOFException("reading " + dst.remaining() + " bytes at " + offset + " passes a range of "
          + lengthBytes + " bytes");
    }
    long at = position + offset;
    while (dst.hasRemaining()) {
      int n = file.read(dst, at);
      if (n < 0) {
        throw new EOFException("segment file ended at " + at + " inside a range ending at "
            + (position + lengthBytes));
      }
      at += n;
    }
  }

  @Override
  public void close() {
    if (ownsFile) {
      SegmentRangeReader.closeQuietly(file);
    }
  }
}
