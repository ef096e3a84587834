package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;
import java.nio.ByteBuffer;

/**
 * H.264 / H.265 byte-stream format (ITU-T H.264 Annex B, H.265 Annex B): NAL units separated by
 * the start codes {@code 00 00 01} or {@code 00 00 00 01}, and its conversion to the
 * length-prefixed form that MP4 samples need (each NAL unit preceded by its size as a 4-byte
 * big-endian integer).
 *
 * <p>Splitting rule: a frame is Annex-B when it begins with {@code 00 00 01} or {@code 00 00 00
 * 01}. A NAL unit runs from after one start code to the next {@code 00 00 01}; zero bytes just
 * before a start code or at the end of the frame ({@code trailing_zero_8bits}, the leading zero of
 * a 4-byte start code) are not part of it. Emulation prevention guarantees that {@code 00 00 01}
 * never occurs inside a NAL unit, so the split is exact.
 *
 * <p>One pass, no allocation. Stateless and thread-safe.
 */
public final class AnnexB {
  /** Bytes of the length prefix written before each converted NAL unit. */
  public static final int LENGTH_PREFIX_BYTES = 4;

  /** {@link #scan} result: the frame does not begin with a start code. */
  static final long NOT_ANNEX_B = -1;
  /** {@link #scan} result: two start codes with nothing between them, or one at the very end. */
  static final long EMPTY_NAL = -2;
  /** {@link #scan} result: the converted frame would not fit an int. */
  static final long TOO_LARGE = -3;
  /** {@link #scan} result: the output buffer is smaller than the converted frame. */
  static final long OUTPUT_TOO_SMALL = -4;

  private AnnexB() {}

  /** Length of the start code at the beginning of {@code bytes}: 3, 4, or 0 when there is none. */
  public static int startCodeLength(byte[] bytes) {
    return startCodeLength(ByteBuffer.wrap(bytes));
  }

  /** Length of the start code at {@code in.position()}: 3, 4, or 0 when there is none. */
  public static int startCodeLength(ByteBuffer in) {
    int p = in.position();
    int n = in.limit() - p;
    if (n >= 3 && in.get(p) == 0 && in.get(p + 1) == 0) {
      if (in.get(p + 2) == 1) {
        return 3;
      }
      if (n >= 4 && in.get(p + 2) == 0 && in.get(p + 3) == 1) {
        return 4;
      }
    }
    return 0;
  }

  /**
   * Converts one Annex-B frame to 4-byte length-prefixed NAL units.
   *
   * <p>Reads {@code in} from its position to its limit without moving them; writes at {@code
   * out}'s position and advances it by exactly the converted size (the size {@link
   * NalFrameInspector} reports for the frame).
   *
   * @return the number of bytes written
   * @throws MediaFormatException invalid media frame when {@code in} is not an Annex-B frame, holds
   *     an empty NAL unit, or does not fit in {@code out}; {@code out} is then left unchanged
   */
  public static int toLengthPrefixed(ByteBuffer in, ByteBuffer out) throws MediaFormatException {
    long size = scan(in, null);
    if (size >= 0 && size > out.remaining()) {
      size = OUTPUT_TOO_SMALL;
    }
    if (size < 0) {
      throw MediaFormatException.invalidMediaFrame(
          "frame cannot be converted from Annex-B: " + reason(size));
    }
    scan(in, out);
    return (int) size;
  }

  /**
   * The single splitting pass shared by inspection and conversion.
   *
   * @param out where to write the converted frame, or null to only measure it
   * @return the converted size, or one of the negative codes of this class
   */
  static long scan(ByteBuffer in, ByteBuffer out) {
    int start = startCodeLength(in);
    if (start == 0) {
      return NOT_ANNEX_B;
    }
    int end = in.limit();
    int nalStart = in.position() + start;
    long total = 0;
    int zeros = 0;
    for (int i = nalStart; i < end; i++) {
      byte b = in.get(i);
      if (b == 0) {
        zeros++;
        continue;
      }
      if (b == 1 && zeros >= 2) {
        long added = emit(in, nalStart, i - zeros, out);
        if (added < 0) {
          return added;
        }
        total += added;
        nalStart = i + 1;
      }
      zeros = 0;
    }
    long added = emit(in, nalStart, end - zeros, out);
    if (added < 0) {
      return added;
    }
    total += added;
    return total > Integer.MAX_VALUE ? TOO_LARGE : total;
  }

  private static long emit(ByteBuffer in, int from, int to, ByteBuffer out) {
    int length = to - from;
    if (length <= 0) {
      return EMPTY_NAL;
    }
    if (out != null) {
      out.putInt(length); // NAL unit length
      out.put(in.slice(from, length));
    }
    return LENGTH_PREFIX_BYTES + (long) length;
  }

  /** Words for a negative {@link #scan} result. */
  static String reason(long code) {
    if (code == NOT_ANNEX_B) {
      return "it does not begin with a start code";
    }
    if (code == EMPTY_NAL) {
      return "it holds an empty NAL unit between start codes";
    }
    if (code == TOO_LARGE) {
      return "its length-prefixed form would exceed 2 GiB";
    }
    return "the output buffer is too small";
  }
}
