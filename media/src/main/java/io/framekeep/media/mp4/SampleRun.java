package io.framekeep.media.mp4;

/**
 * A byte range of one stored fragment payload that goes into the {@code mdat}: either as is, or
 * (for one Annex-B video frame) rewritten to 4-byte length-prefixed NAL units on the way out.
 *
 * <p>Plain runs cover any number of adjacent frames and can be sent zero-copy. A converting run
 * covers exactly one frame and is never merged with its neighbours: the writer reads its {@code
 * lengthBytes} stored bytes, converts them with {@code AnnexB.toLengthPrefixed} and writes {@link
 * #outputBytes()} bytes.
 *
 * @param fragmentIndex index into {@link ClipSource#fragments()}
 * @param offsetInFragment offset of the first byte from the start of that fragment's payload
 * @param lengthBytes number of stored bytes to read, at least 1
 * @param annexBToLengthPrefixed whether the bytes are one Annex-B frame to convert
 * @param outputBytes bytes this run contributes to the clip: the converted size for a converting
 *     run, else {@code lengthBytes}
 */
public record SampleRun(int fragmentIndex, long offsetInFragment, long lengthBytes,
    boolean annexBToLengthPrefixed, long outputBytes) {
  /** @throws IllegalArgumentException for empty runs or a plain run whose sizes differ */
  public SampleRun {
    if (lengthBytes < 1 || outputBytes < 1
        || (!annexBToLengthPrefixed && outputBytes != lengthBytes)) {
      throw new IllegalArgumentException("run of " + lengthBytes + " bytes writing " + outputBytes
          + (annexBToLengthPrefixed ? " converted" : ""));
    }
  }

  /** A plain run, copied as is. */
  public SampleRun(int fragmentIndex, long offsetInFragment, long lengthBytes) {
    this(fragmentIndex, offsetInFragment, lengthBytes, false, lengthBytes);
  }

  /** A run converting one Annex-B frame of {@code lengthBytes} to {@code convertedBytes}. */
  public static SampleRun annexBFrame(int fragmentIndex, long offsetInFragment, long lengthBytes,
      long convertedBytes) {
    return new SampleRun(fragmentIndex, offsetInFragment, lengthBytes, true, convertedBytes);
  }
}
