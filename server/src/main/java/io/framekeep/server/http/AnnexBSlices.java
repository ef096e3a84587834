package io.framekeep.server.http;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AnnexB;
import io.framekeep.storage.ByteSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The one path where clip bytes pass through the heap: an H.264/H.265 frame stored with Annex-B
 * start codes (a producer that skipped NAL adaptation) is read and rewritten with 4-byte NAL
 * lengths, as MP4 requires. Its output size was computed at ingest, so the clip's sample tables
 * were already exact. One frame at a time: memory is bounded by the largest frame.
 */
final class AnnexBSlices {
  private AnnexBSlices() {}

  /** Converts the frame in {@code source} (ready, and closed here). */
  static ByteBuf convert(ByteSource source, Response.Slice slice)
      throws IOException, MediaFormatException {
    try (source) {
      if (source.lengthBytes() > Integer.MAX_VALUE || slice.outputBytes() > Integer.MAX_VALUE) {
        throw new IOException("an Annex-B frame of " + source.lengthBytes() + " bytes is too large");
      }
      ByteBuffer in = ByteBuffer.allocate((int) source.lengthBytes());
      source.read(0, in);
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
}
