package io.framekeep.storage.cluster;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The wanted pieces of one {@link CoalescedGet}, read from the GET's body: the bytes between pieces are read and
 * dropped, and the stream ends after the last piece. A body shorter than the GET asked for is an
 * {@link EOFException}, never silently short data.
 *
 * <p>Not thread-safe: one consumer.
 */
final class PiecesInputStream extends BulkInputStream {
  /** Gaps are at most a few hundred KiB; dropped through this much at a time. */
  private static final int DROP_BUFFER_BYTES = 16 << 10;

  private final InputStream body;
  private final CoalescedGet get;
  /** Bytes of the body consumed so far (wanted and dropped). */
  private long position;
  private int piece;
  private byte[] dropBuffer;

  PiecesInputStream(InputStream body, CoalescedGet get) {
    this.body = body;
    this.get = get;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (piece < get.pieces().size()) {
      ObjectRange p = get.pieces().get(piece);
      long start = p.offset() - get.get().offset();
      long end = start + p.lengthBytes();
      if (position < start) {
        drop(start - position);
      }
      if (position < end) {
        int n = body.read(buffer, offset, (int) Math.min(length, end - position));
        if (n < 0) {
          throw new EOFException("object " + get.get().key() + " ended " + (end - position)
              + " bytes before the end of a wanted range");
        }
        position += n;
        return n;
      }
      piece++;
    }
    return -1;
  }

  private void drop(long bytes) throws IOException {
    if (dropBuffer == null) {
      dropBuffer = new byte[DROP_BUFFER_BYTES];
    }
    long left = bytes;
    while (left > 0) {
      int n = body.read(dropBuffer, 0, (int) Math.min(left, dropBuffer.length));
      if (n < 0) {
        throw new EOFException("object " + get.get().key() + " ended inside a gap between wanted ranges");
      }
      left -= n;
      position += n;
    }
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
