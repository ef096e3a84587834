package io.framekeep.media.mp4;

/**
 * A contiguous byte range of one stored fragment payload that goes into the {@code mdat} as is.
 *
 * @param fragmentIndex index into {@link ClipSource#fragments()}
 * @param offsetInFragment offset of the first byte from the start of that fragment's payload
 * @param lengthBytes number of bytes, at least 1
 */
public record SampleRun(int fragmentIndex, long offsetInFragment, long lengthBytes) {}
