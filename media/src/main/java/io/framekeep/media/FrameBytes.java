package io.framekeep.media;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random access to the bytes of one stored fragment payload, for {@link FrameInspection}. The
 * ingest server implements it over the segment it has just written.
 */
@FunctionalInterface
public interface FrameBytes {
  /**
   * Returns {@code size} bytes starting {@code offset} bytes after the first byte of the fragment
   * payload (the offsets of {@link FrameTable#offset}). The buffer must hold exactly {@code size}
   * bytes between its position and limit; it is only read, and only until the next call.
   *
   * @throws IOException when the bytes cannot be read (a short read included)
   */
  ByteBuffer read(int offset, int size) throws IOException;
}
