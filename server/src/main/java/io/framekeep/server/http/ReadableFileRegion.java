package io.framekeep.server.http;

import io.netty.channel.FileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link FileRegion} whose bytes can also be copied into a buffer. Transports that cannot send
 * regions with {@code sendfile} (TLS encrypts in user space) read it with {@link #read} instead of
 * draining it through {@link FileRegion#transferTo}.
 */
public interface ReadableFileRegion extends FileRegion {
  /**
   * Fills {@code dst.remaining()} bytes of {@code dst} from {@code offset} bytes into the region
   * (not counting {@link #position()}), advancing its position.
   *
   * @throws java.io.EOFException if the region ends before {@code dst} is full
   */
  void read(long offset, ByteBuffer dst) throws IOException;
}
