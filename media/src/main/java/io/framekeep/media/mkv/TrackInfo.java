package io.framekeep.media.mkv;

/**
 * One {@code TrackEntry} of a Matroska {@code Tracks} element, as declared by the producer.
 *
 * @param trackNumber the {@code TrackNumber} (1-based) that blocks refer to
 * @param trackType the Matroska {@code TrackType}: {@link #TYPE_VIDEO}, {@link #TYPE_AUDIO}, ...
 * @param codecId the {@code CodecID} string, e.g. {@code V_MPEG4/ISO/AVC}
 * @param codecPrivate the {@code CodecPrivate} bytes, or an empty array when absent
 * @param defaultDurationNs the {@code DefaultDuration} in nanoseconds, or 0 when absent
 * @param pixelWidth video {@code PixelWidth}, or 0
 * @param pixelHeight video {@code PixelHeight}, or 0
 * @param samplingFrequencyHz audio {@code SamplingFrequency}, or 0
 * @param channels audio {@code Channels}, or 0
 * @param bitDepth audio {@code BitDepth}, or 0
 */
public record TrackInfo(
    long trackNumber,
    int trackType,
    String codecId,
    byte[] codecPrivate,
    long defaultDurationNs,
    int pixelWidth,
    int pixelHeight,
    double samplingFrequencyHz,
    int channels,
    int bitDepth) {
  public static final int TYPE_VIDEO = 1;
  public static final int TYPE_AUDIO = 2;

  public boolean isVideo() {
    return trackType == TYPE_VIDEO;
  }

  public boolean isAudio() {
    return trackType == TYPE_AUDIO;
  }

  public boolean hasCodecPrivate() {
    return codecPrivate != null && codecPrivate.length > 0;
  }
}
