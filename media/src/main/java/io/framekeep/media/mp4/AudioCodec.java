package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AacAudioSpecificConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.mkv.TrackInfo;

/**
 * The audio codecs a clip's audio track may use. G.711 A-law ({@code A_MS/ACM}, MP4 {@code alaw})
 * is the next to add here.
 */
enum AudioCodec {
  AAC {
    @Override
    AudioFormat describe(TrackInfo track) throws MediaFormatException {
      AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(track.codecPrivate());
      int channels = config.channelCount() > 0 ? config.channelCount() : track.channels();
      if (channels <= 0) {
        throw MediaFormatException.invalidCodecPrivateData(
            "AAC track " + track.trackNumber() + " declares no channel count");
      }
      return new AudioFormat(config.raw(), config.sampleRateHz(), channels,
          config.samplesPerFrame());
    }
  };

  /**
   * Parses the track's codec private data.
   *
   * @throws MediaFormatException invalid codec private data when it does not parse
   */
  abstract AudioFormat describe(TrackInfo track) throws MediaFormatException;

  /**
   * The codec for a Matroska codec ID.
   *
   * @throws MediaFormatException unsupported when GetClip cannot package this codec
   */
  static AudioCodec forCodecId(String codecId) throws MediaFormatException {
    if (CodecIds.isAac(codecId)) {
      return AAC;
    }
    throw MediaFormatException.unsupported(
        "audio track codec " + codecId + " is not supported for clips; expected "
            + CodecIds.CODEC_ID_AAC);
  }

  /**
   * What goes into an {@code mp4a} sample entry and its {@code esds}.
   *
   * @param decoderSpecificInfo the AudioSpecificConfig as stored
   * @param sampleRateHz output sample rate, also the track timescale
   * @param channelCount channels
   * @param samplesPerFrame PCM samples per access unit, the duration of each MP4 sample
   */
  record AudioFormat(
      byte[] decoderSpecificInfo, int sampleRateHz, int channelCount, int samplesPerFrame) {}
}
