package io.framekeep.server.http;

import io.netty.channel.FileRegion;
import java.nio.channels.FileChannel;

/**
 * A {@link FileRegion} whose file can also be read into a buffer: bytes {@link #position()} to
 * {@code position() + count()} of {@link #file()}. Transports that cannot send regions with
 * {@code sendfile} (TLS) read it directly instead of through {@link FileRegion#transferTo}.
 */
public interface ReadableFileRegion extends FileRegion {
  /** The open file; owned by whoever made the region, not to be closed by readers. */
  FileChannel file();
}
