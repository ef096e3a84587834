package io.framekeep.server.tls;

import io.framekeep.server.http.ReadableFileRegion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileRegion} read into buffers a chunk at a time, for connections whose bytes must pass
 * through the JVM (TLS encrypts them) and so cannot be sent with {@code sendfile}. A
 * {@link ReadableFileRegion} is read straight into a direct buffer (one copy, one read per
 * chunk); any other region is drained through its own {@link FileRegion#transferTo},
 * which the JDK does in 8 KB steps through a heap buffer. Owns the region: {@link #close}
 * releases it. Confined to the connection's event loop.
 */
final class FileRegionInput implements ChunkedInput<ByteBuf> {
  /**
   * Bytes read per chunk: eight full TLS records, so each read and each encryption call runs on a
   * large buffer, while a connection holds little more than one chunk beyond its outbound buffer.
   */
  static final int CHUNK_BYTES = 128 * 1024;

  private final FileRegion region;
  private long offset;
  private boolean released;

  FileRegionInput(FileRegion region) {
    this.region = region;
  }

  @Override
  public boolean isEndOfInput() {
    return offset >= region.count();
  }

  @Override
  public void close() {
    if (!released) {
      released = true;
      region.release();
    }
  }

  @Override
  @Deprecated
  public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
    long remaining = region.count() - offset;
    if (remaining <= 0) {
      return null;
    }
    int length = (int) Math.min(CHUNK_BYTES, remaining);
    ByteBuf chunk = allocator.directBuffer(length);
    try {
      if (region instanceof ReadableFileRegion readable) {
        read(readable, chunk, length);
      } else {
        transfer(chunk, length);
      }
      offset += length;
      return chunk;
    } catch (IOException | RuntimeException e) {
      chunk.release();
      throw e;
    }
  }

  private void read(ReadableFileRegion readable, ByteBuf chunk, int length) throws IOException {
    ByteBuffer target = chunk.nioBuffer(chunk.writerIndex(), length);
    readable.read(offset, target);
    chunk.writerIndex(chunk.writerIndex() + length);
  }

  private void transfer(ByteBuf chunk, int length) throws IOException {
    BufferChannel target = new BufferChannel(chunk, length);
    while (target.accepted < length) {
      if (region.transferTo(target, offset + target.accepted) <= 0) {
        throw new EOFException("file region ended after " + (offset + target.accepted) + " of "
            + region.count() + " bytes");
      }
    }
  }

  @Override
  public long length() {
    return region.count();
  }

  @Override
  public long progress() {
    return offset;
  }

  /** Accepts up to {@code limit} bytes into the buffer, then reports short writes. */
  private static final class BufferChannel implements WritableByteChannel {
    private final ByteBuf buffer;
    private final int limit;
    int accepted;

    BufferChannel(ByteBuf buffer, int limit) {
      this.buffer = buffer;
      this.limit = limit;
    }

    @Override
    public int write(ByteBuffer src) {
      int n = Math.min(src.remaining(), limit - accepted);
      if (n == 0) {
        return 0;
      }
      ByteBuffer part = src.slice();
      part.limit(n);
      buffer.writeBytes(part);
      src.position(src.position() + n);
      accepted += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
