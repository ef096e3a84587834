package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.mkv.TrackInfo;

/**
 * The video codecs a clip's first video track may use, each with its MP4 sample entry and the
 * codec-configuration box that carries the Matroska codec private data unchanged.
 *
 * <p>H.265 ({@code hvc1} + {@code hvcC}) plugs in here: add the constant with a {@link
 * #describe} that parses the HEVCDecoderConfigurationRecord; nothing else in the MP4 writer is
 * codec specific.
 */
enum VideoCodec {
  H264("avc1", "avcC") {
    @Override
    VisualFormat describe(TrackInfo track) throws MediaFormatException {
      AvcDecoderConfig config = AvcDecoderConfig.parse(track.codecPrivate());
      int width = config.width() > 0 ? config.width() : track.pixelWidth();
      int height = config.height() > 0 ? config.height() : track.pixelHeight();
      return new VisualFormat(sampleEntryType(), configBoxType(), config.raw(),
          dimension(width), dimension(height));
    }
  };

  /** Largest width or height a VisualSampleEntry's 16-bit fields can carry. */
  static final int MAX_DIMENSION_PIXELS = 0xFFFF;

  private final String sampleEntryType;
  private final String configBoxType;

  VideoCodec(String sampleEntryType, String configBoxType) {
    this.sampleEntryType = sampleEntryType;
    this.configBoxType = configBoxType;
  }

  String sampleEntryType() {
    return sampleEntryType;
  }

  String configBoxType() {
    return configBoxType;
  }

  /**
   * Parses the track's codec private data into a sample-entry description.
   *
   * @throws MediaFormatException invalid codec private data when it does not parse
   */
  abstract VisualFormat describe(TrackInfo track) throws MediaFormatException;

  /** Sample entries hold 16-bit sizes; an out-of-range declared size is written as 0 (unknown). */
  static int dimension(int pixels) {
    return pixels > 0 && pixels <= MAX_DIMENSION_PIXELS ? pixels : 0;
  }

  /**
   * The codec for a Matroska codec ID.
   *
   * @throws MediaFormatException unsupported when GetClip cannot package this codec
   */
  static VideoCodec forCodecId(String codecId) throws MediaFormatException {
    if (CodecIds.isH264(codecId)) {
      return H264;
    }
    if (CodecIds.isH265(codecId)) {
      throw MediaFormatException.unsupported(
          "video track codec " + codecId + " is not supported for clips yet");
    }
    throw MediaFormatException.unsupported(
        "video track codec " + codecId + " is not supported for clips; expected "
            + CodecIds.CODEC_ID_H264);
  }

  /**
   * What goes into a visual sample entry.
   *
   * @param sampleEntryType e.g. {@code avc1}
   * @param configBoxType e.g. {@code avcC}
   * @param config the configuration record, written as the config box body unchanged
   * @param width picture width in pixels
   * @param height picture height in pixels
   */
  record VisualFormat(
      String sampleEntryType, String configBoxType, byte[] config, int width, int height) {}
}
