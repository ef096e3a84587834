package io.framekeep.server.http;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AnnexB;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The one path where clip bytes pass through the heap: an H.264/H.265 frame stored with Annex-B
 * start codes (a producer that skipped NAL adaptation) is read and rewritten with 4-byte NAL
 * lengths, as MP4 requires. Its output size was computed at ingest, so the clip's sample tables
 * were already exact. One frame at a time: memory is bounded by the largest frame.
 */
final class AnnexBSlices {
  private AnnexBSlices() {}

  static ByteBuf convert(FileChannel file, Response.Slice slice)
      throws IOException, MediaFormatException {
    if (slice.lengthBytes() > Integer.MAX_VALUE || slice.outputBytes() > Integer.MAX_VALUE) {
      throw new IOException("an Annex-B frame of " + slice.lengthBytes() + " bytes is too large");
    }
    ByteBuffer in = ByteBuffer.allocate((int) slice.lengthBytes());
    long position = slice.position();
    while (in.hasRemaining()) {
      int n = file.read(in, position);
      if (n < 0) {
        throw new EOFException("segment ended inside a frame at " + position);
      }
      position += n;
    }
    in.flip();
    ByteBuffer out = ByteBuffer.allocate((int) slice.outputBytes());
    int written = AnnexB.toLengthPrefixed(in, out);
    if (written != slice.outputBytes()) {
      throw new IOException("frame converted to " + written + " bytes, indexed as "
          + slice.outputBytes());
    }
    out.flip();
    return Unpooled.wrappedBuffer(out);
  }
}
