package io.framekeep.server.http;

import io.framekeep.storage.ByteSource;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A stored byte source as a Netty {@link FileRegion}: the transport hands it the socket, and the source
 * transfers itself, zero-copy ({@code sendfile}) when it is a region of a segment file. Releasing the region
 * closes the source. The source must be ready ({@link ByteSource#ready()}) before it is written.
 *
 * <p>A transport that cannot take a FileRegion (TLS: the SslHandler encrypts in user space) copies the
 * bytes out with {@link #read} instead.
 */
final class ByteSourceRegion extends AbstractReferenceCounted implements ReadableFileRegion {
  private final ByteSource source;
  private long transferred;

  ByteSourceRegion(ByteSource source) {
    this.source = source;
  }

  @Override
  public long position() {
    return 0;
  }

  @Override
  @Deprecated
  public long transfered() {
    return transferred;
  }

  @Override
  public long transferred() {
    return transferred;
  }

  @Override
  public long count() {
    return source.lengthBytes();
  }

  @Override
  public long transferTo(WritableByteChannel target, long position) throws IOException {
    long remaining = source.lengthBytes() - position;
    if (remaining <= 0) {
      return 0;
    }
    long written = source.transferTo(position, remaining, target);
    transferred += written;
    return written;
  }

  @Override
  public void read(long offset, ByteBuffer dst) throws IOException {
    source.read(offset, dst);
  }

  @Override
  protected void deallocate() {
    source.close();
  }

  @Override
  public FileRegion retain() {
    super.retain();
    return this;
  }

  @Override
  public FileRegion retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public FileRegion touch() {
    return this;
  }

  @Override
  public FileRegion touch(Object hint) {
    return this;
  }
}
