package io.framekeep.server.http;

import io.framekeep.storage.ByteSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;

/**
 * A stored byte source as a Netty {@link ChunkedInput}, for connections that cannot send a
 * {@link io.netty.channel.FileRegion}: with an {@code SslHandler} the bytes must pass through user
 * space to be encrypted, so they are read into buffers of {@link #CHUNK_BYTES}, one at a time, as
 * a {@code ChunkedWriteHandler} in the pipeline asks for them. Memory per response stays one
 * chunk. The source must be ready ({@link ByteSource#ready()}); closing the input closes it.
 */
final class ByteSourceChunks implements ChunkedInput<ByteBuf> {
  /**
   * 16 KiB: the largest TLS record payload (2^14 bytes, RFC 8446 section 5.1), so each chunk
   * becomes one record without being split or coalesced.
   */
  static final int CHUNK_BYTES = 16 * 1024;

  private final ByteSource source;
  private long offset;

  ByteSourceChunks(ByteSource source) {
    this.source = source;
  }

  @Override
  public boolean isEndOfInput() {
    return offset >= source.lengthBytes();
  }

  @Override
  public void close() {
    source.close();
  }

  @Override
  @Deprecated
  public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
    return readChunk(ctx.alloc());
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
    if (isEndOfInput()) {
      return null;
    }
    int length = (int) Math.min(CHUNK_BYTES, source.lengthBytes() - offset);
    ByteBuf chunk = allocator.heapBuffer(length);
    try {
      source.read(offset, chunk.nioBuffer(0, length));
      chunk.writerIndex(length);
    } catch (IOException | RuntimeException e) {
      chunk.release();
      throw e;
    }
    offset += length;
    return chunk;
  }

  @Override
  public long length() {
    return source.lengthBytes();
  }

  @Override
  public long progress() {
    return offset;
  }
}
