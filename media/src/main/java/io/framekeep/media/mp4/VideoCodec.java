package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.codec.HevcDecoderConfig;
import io.framekeep.media.mkv.TrackInfo;

/**
 * The video codecs a clip's first video track may use, each with its MP4 sample entry and the
 * codec-configuration box that carries the Matroska codec private data unchanged.
 *
 * <p>H.265 uses the {@code hvc1} sample entry (parameter sets in the {@code hvcC} box), not
 * {@code hev1}: Safari and QuickTime play only {@code hvc1}. Nothing else in the MP4 writer is
 * codec specific; B-frames are handled by the generic {@code ctts} + {@code elst} timing.
 */
enum VideoCodec {
  H264("avc1", "avcC") {
    @Override
    VisualFormat describe(TrackInfo track) throws MediaFormatException {
      AvcDecoderConfig config = AvcDecoderConfig.parse(track.codecPrivate());
      return format(track, config.raw(), config.width(), config.height());
    }

    @Override
    boolean allowsAudio(AudioCodec audio) {
      return true;
    }
  },
  H265("hvc1", "hvcC") {
    @Override
    VisualFormat describe(TrackInfo track) throws MediaFormatException {
      HevcDecoderConfig config = HevcDecoderConfig.parse(track.codecPrivate());
      return format(track, config.raw(), config.width(), config.height());
    }

    /** KVS spec §4.5: H.265 clips carry AAC or no audio. */
    @Override
    boolean allowsAudio(AudioCodec audio) {
      return audio == AudioCodec.AAC;
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

  /** Whether GetClip packages this video codec together with that audio codec (spec §4.5). */
  abstract boolean allowsAudio(AudioCodec audio);

  /**
   * This codec's sample-entry description of {@code track}: the picture size from its codec private
   * data where that gives one ({@code cpdWidth}/{@code cpdHeight} above 0), else the Matroska
   * track's pixel size.
   */
  VisualFormat format(TrackInfo track, byte[] config, int cpdWidth, int cpdHeight) {
    int width = cpdWidth > 0 ? cpdWidth : track.pixelWidth();
    int height = cpdHeight > 0 ? cpdHeight : track.pixelHeight();
    return new VisualFormat(sampleEntryType, configBoxType, config, dimension(width),
        dimension(height));
  }

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
      return H265;
    }
    throw MediaFormatException.unsupported(
        "video track codec " + codecId + " is not supported for clips; expected "
            + CodecIds.CODEC_ID_H264 + " or " + CodecIds.CODEC_ID_H265);
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
