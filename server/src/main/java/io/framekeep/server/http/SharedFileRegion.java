package io.framekeep.server.http;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A zero-copy slice of a file whose {@link FileChannel} is shared with other slices of the same
 * response. Unlike Netty's {@code DefaultFileRegion}, releasing it does not close the channel: the
 * response writer closes the channels once the whole response is written.
 */
final class SharedFileRegion extends AbstractReferenceCounted implements ReadableFileRegion {
  private final FileChannel file;
  private final long position;
  private final long count;
  private long transferred;

  SharedFileRegion(FileChannel file, long position, long count) {
    this.file = file;
    this.position = position;
    this.count = count;
  }

  @Override
  public FileChannel file() {
    return file;
  }

  @Override
  public long position() {
    return position;
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
    return count;
  }

  @Override
  public long transferTo(WritableByteChannel target, long offset) throws IOException {
    long remaining = count - offset;
    if (remaining <= 0) {
      return 0;
    }
    long written = file.transferTo(position + offset, remaining, target);
    if (written == 0 && position + offset >= file.size()) {
      throw new IOException("file ended before the slice did: " + (position + offset));
    }
    transferred += written;
    return written;
  }

  @Override
  protected void deallocate() {
    // The channel belongs to the response writer.
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
