package io.framekeep.media.codec;

import java.nio.ByteBuffer;

/**
 * Decides whether an H.264 or H.265 frame (a Matroska block payload) is made of length-prefixed
 * NAL units as its codec private data declares, is in Annex-B byte-stream form instead, or cannot
 * be parsed at all. Both codecs frame NAL units the same way, so one inspector serves both.
 *
 * <p>Order of the checks: an empty frame is {@link Kind#INVALID}; a frame that splits exactly into
 * non-empty length-prefixed NAL units is {@link Kind#VALID}; otherwise a frame beginning with
 * {@code 00 00 01} or {@code 00 00 00 01} that splits into non-empty NAL units by start codes is
 * {@link Kind#ANNEX_B} (see {@link AnnexB}); anything else is {@link Kind#INVALID} with the reason
 * the length-prefixed reading failed.
 *
 * <p>Never throws on any frame content; one pass over the bytes per form tried; allocates only the
 * returned verdict. Stateless and thread-safe.
 */
public final class NalFrameInspector {

  /** What a frame turned out to be. */
  public enum Kind {
    /** Length-prefixed NAL units exactly filling the frame. */
    VALID,
    /** Annex-B start codes; {@link Verdict#convertedSize()} gives the length-prefixed size. */
    ANNEX_B,
    /** Neither; {@link Verdict#reason()} says why. */
    INVALID
  }

  /**
   * The outcome of {@link #inspect}.
   *
   * @param kind what the frame is
   * @param convertedSize for {@link Kind#ANNEX_B}, the frame's size after {@link
   *     AnnexB#toLengthPrefixed}; otherwise 0
   * @param reason for {@link Kind#INVALID}, why the frame cannot be parsed; otherwise empty
   */
  public record Verdict(Kind kind, int convertedSize, String reason) {
    /** The verdict for every well-formed length-prefixed frame. */
    public static final Verdict VALID = new Verdict(Kind.VALID, 0, "");

    static Verdict annexB(int convertedSize) {
      return new Verdict(Kind.ANNEX_B, convertedSize, "");
    }

    static Verdict invalid(String reason) {
      return new Verdict(Kind.INVALID, 0, reason);
    }
  }

  private NalFrameInspector() {}

  /**
   * Inspects one frame, from {@code frame.position()} to {@code frame.limit()}; the buffer's
   * position and limit are not changed.
   *
   * @param nalLengthSize the length-prefix size from the codec private data: 1, 2 or 4
   * @throws IllegalArgumentException when {@code nalLengthSize} is not 1, 2 or 4 (a caller bug)
   */
  public static Verdict inspect(ByteBuffer frame, int nalLengthSize) {
    if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
      throw new IllegalArgumentException("NAL length size " + nalLengthSize);
    }
    if (!frame.hasRemaining()) {
      return Verdict.invalid("the frame is empty");
    }
    String lengthPrefixedProblem = checkLengthPrefixed(frame, nalLengthSize);
    if (lengthPrefixedProblem == null) {
      return Verdict.VALID;
    }
    long converted = AnnexB.scan(frame, null);
    if (converted >= 0) {
      return Verdict.annexB((int) converted);
    }
    if (converted != AnnexB.NOT_ANNEX_B) {
      return Verdict.invalid("it begins with a start code but " + AnnexB.reason(converted));
    }
    return Verdict.invalid(lengthPrefixedProblem);
  }

  /** Null when the frame is exactly a sequence of non-empty length-prefixed NAL units. */
  private static String checkLengthPrefixed(ByteBuffer frame, int nalLengthSize) {
    int end = frame.limit();
    int p = frame.position();
    while (p < end) {
      if (end - p < nalLengthSize) {
        return "a " + nalLengthSize + "-byte NAL length prefix is truncated at byte "
            + (p - frame.position());
      }
      long length = 0;
      for (int i = 0; i < nalLengthSize; i++) {
        length = (length << 8) | (frame.get(p + i) & 0xFF);
      }
      p += nalLengthSize;
      if (length == 0) {
        return "a NAL unit at byte " + (p - nalLengthSize - frame.position()) + " has length 0";
      }
      if (length > end - p) {
        return "a NAL unit of " + length + " bytes runs past the end of the frame ("
            + (end - p) + " bytes left)";
      }
      p += (int) length;
    }
    return null;
  }
}
