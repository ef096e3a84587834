package io.framekeep.images;

/**
 * One coded video frame as stored: its bytes and presentation time.
 *
 * @param data the frame's length-prefixed NAL units; not copied, treat as read-only
 * @param presentationTimeNs presentation time in nanoseconds on any time line, the same as the
 *     targets it is compared with
 */
public record CodedFrame(byte[] data, long presentationTimeNs) {}
