package io.framekeep.server.ingest;

import io.framekeep.media.FrameBytes;
import io.framekeep.storage.FragmentAppender;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The pending fragment's bytes for {@link io.framekeep.media.FrameInspection}, read back from the
 * segment (page cache) through one reusable window: frames are asked for in payload order, so one
 * read fills the window with many consecutive frames, and no frame costs an allocation or a system
 * call of its own. A frame larger than the window is read on its own. Buffers returned are valid
 * until the next call (the {@link FrameBytes} contract). Not thread-safe: one per session.
 */
final class PendingFrameReader implements FrameBytes {
  /** 256 KiB: fragments of a few Mbit/s fit in two or three windows; 200 sessions hold 50 MiB. */
  static final int WINDOW_BYTES = 256 * 1024;

  private final FragmentAppender appender;
  private ByteBuffer window;
  /** Fragment offset of the window's first byte; -1 when the window holds nothing. */
  private long windowStart = -1;

  PendingFrameReader(FragmentAppender appender) {
    this.appender = appender;
  }

  /** Forgets the window: call before reading a new fragment, whose bytes are different. */
  void reset() {
    windowStart = -1;
  }

  @Override
  public ByteBuffer read(int offset, int size) throws IOException {
    if (size > WINDOW_BYTES) {
      ByteBuffer frame = ByteBuffer.allocate(size);
      appender.readPending(offset, frame);
      return frame.flip();
    }
    if (windowStart < 0 || offset < windowStart
        || offset + (long) size > windowStart + window.limit()) {
      fill(offset, size);
    }
    int at = (int) (offset - windowStart);
    return window.slice(at, size);
  }

  /** Fills the window from {@code offset} with as much of the fragment as fits (at least size). */
  private void fill(int offset, int size) throws IOException {
    if (window == null) {
      window = ByteBuffer.allocate(WINDOW_BYTES);
    }
    long available = appender.pendingBytes() - offset;
    int length = (int) Math.max(size, Math.min(WINDOW_BYTES, available));
    window.clear().limit(length);
    windowStart = -1;
    appender.readPending(offset, window);
    window.flip();
    windowStart = offset;
  }
}
