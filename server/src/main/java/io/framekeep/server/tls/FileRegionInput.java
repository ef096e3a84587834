package io.framekeep.server.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileRegion} read into buffers a chunk at a time, for connections whose bytes must pass
 * through the JVM (TLS encrypts them) and so cannot be sent with {@code sendfile}. The region is
 * drained through its own {@link FileRegion#transferTo}, so whatever it represents (a slice of a
 * shared segment file, a whole file) is read exactly as the zero-copy path would send it. Owns
 * the region: {@link #close} releases it. Confined to the connection's event loop.
 */
final class FileRegionInput implements ChunkedInput<ByteBuf> {
  /**
   * Bytes read per chunk: four full TLS records, so the encryption runs on large buffers, while a
   * connection holds little more than one chunk beyond its outbound buffer.
   */
  static final int CHUNK_BYTES = 64 * 1024;

  private final FileRegion region;
  private boolean released;

  FileRegionInput(FileRegion region) {
    this.region = region;
  }

  @Override
  public boolean isEndOfInput() {
    return region.transferred() >= region.count();
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
    long remaining = region.count() - region.transferred();
    if (remaining <= 0) {
      return null;
    }
    ByteBuf chunk = allocator.directBuffer((int) Math.min(CHUNK_BYTES, remaining));
    try {
      BufferChannel target = new BufferChannel(chunk);
      while (chunk.isWritable()) {
        if (region.transferTo(target, region.transferred()) <= 0) {
          throw new IOException("file region ended after " + region.transferred() + " of "
              + region.count() + " bytes");
        }
      }
      return chunk;
    } catch (IOException | RuntimeException e) {
      chunk.release();
      throw e;
    }
  }

  @Override
  public long length() {
    return region.count();
  }

  @Override
  public long progress() {
    return region.transferred();
  }

  /** Accepts bytes until the buffer is full, then reports short writes. */
  private static final class BufferChannel implements WritableByteChannel {
    private final ByteBuf buffer;

    BufferChannel(ByteBuf buffer) {
      this.buffer = buffer;
    }

    @Override
    public int write(ByteBuffer src) {
      int n = Math.min(src.remaining(), buffer.writableBytes());
      if (n == 0) {
        return 0;
      }
      ByteBuffer part = src.slice();
      part.limit(n);
      buffer.writeBytes(part);
      src.position(src.position() + n);
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
