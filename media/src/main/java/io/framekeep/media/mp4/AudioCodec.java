package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AacAudioSpecificConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.codec.WaveFormatEx;
import io.framekeep.media.mkv.TrackInfo;

/**
 * The audio codecs a clip's audio track may use, each with its MP4 sample entry: AAC ({@code
 * A_AAC}, {@code mp4a} + {@code esds}) and G.711 A-law / µ-law ({@code A_MS/ACM} with a
 * WAVEFORMATEX, QuickTime {@code alaw} / {@code ulaw} sound sample entries).
 *
 * <p>G.711 timing: the track timescale is the sample rate and every Matroska block becomes one MP4
 * sample lasting its byte count divided by the channel count (one byte per channel per sample).
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
  },
  ALAW {
    @Override
    AudioFormat describe(TrackInfo track) throws MediaFormatException {
      return g711(track, WaveFormatEx.FORMAT_ALAW, "alaw");
    }
  },
  ULAW {
    @Override
    AudioFormat describe(TrackInfo track) throws MediaFormatException {
      return g711(track, WaveFormatEx.FORMAT_MULAW, "ulaw");
    }
  };

  /**
   * Parses the track's codec private data.
   *
   * @throws MediaFormatException invalid codec private data when it does not parse
   */
  abstract AudioFormat describe(TrackInfo track) throws MediaFormatException;

  /**
   * The codec of an audio track, from its codec ID and, for {@code A_MS/ACM}, the WAVEFORMATEX
   * format tag. An {@code A_MS/ACM} track whose codec private data is too short to hold a format
   * tag resolves to {@link #ALAW}, whose {@link #describe} then reports the missing or invalid
   * codec private data.
   *
   * @throws MediaFormatException unsupported when GetClip cannot package this codec
   */
  static AudioCodec forTrack(TrackInfo track) throws MediaFormatException {
    String codecId = track.codecId();
    if (CodecIds.isAac(codecId)) {
      return AAC;
    }
    if (CodecIds.isAcm(codecId)) {
      int tag = WaveFormatEx.peekFormatTag(track.codecPrivate());
      if (tag == WaveFormatEx.FORMAT_MULAW) {
        return ULAW;
      }
      if (tag == WaveFormatEx.FORMAT_ALAW || tag < 0) {
        return ALAW;
      }
      throw MediaFormatException.unsupported("audio track " + track.trackNumber() + " ("
          + codecId + ") has WAVEFORMATEX format tag " + tag + "; clips support G.711 A-law (6)"
          + " and µ-law (7)");
    }
    throw MediaFormatException.unsupported(
        "audio track codec " + codecId + " is not supported for clips; expected "
            + CodecIds.CODEC_ID_AAC + " or " + CodecIds.CODEC_ID_ACM);
  }

  private static AudioFormat g711(TrackInfo track, int expectedTag, String sampleEntryType)
      throws MediaFormatException {
    WaveFormatEx wave = WaveFormatEx.parse(track.codecPrivate());
    if (wave.formatTag() != expectedTag) {
      throw MediaFormatException.invalidCodecPrivateData("audio track " + track.trackNumber()
          + " WAVEFORMATEX format tag " + wave.formatTag() + " is not " + expectedTag);
    }
    return new AudioFormat(sampleEntryType, new byte[0], wave.sampleRateHz(), wave.channels(), 0,
        wave.channels());
  }

  /**
   * What goes into the audio sample entry.
   *
   * @param sampleEntryType {@code mp4a}, {@code alaw} or {@code ulaw}
   * @param decoderSpecificInfo the AudioSpecificConfig as stored (AAC), else empty
   * @param sampleRateHz output sample rate, also the track timescale
   * @param channelCount channels
   * @param samplesPerFrame PCM samples per access unit, the duration of each MP4 sample; 0 when
   *     the duration follows from the sample size ({@code bytesPerPcmFrame})
   * @param bytesPerPcmFrame for G.711, bytes of one sample across all channels (the channel
   *     count); each MP4 sample then lasts {@code size / bytesPerPcmFrame} ticks. 0 for AAC
   */
  record AudioFormat(String sampleEntryType, byte[] decoderSpecificInfo, int sampleRateHz,
      int channelCount, int samplesPerFrame, int bytesPerPcmFrame) {
    /** An AAC format. */
    AudioFormat(byte[] decoderSpecificInfo, int sampleRateHz, int channelCount,
        int samplesPerFrame) {
      this("mp4a", decoderSpecificInfo, sampleRateHz, channelCount, samplesPerFrame, 0);
    }

    boolean isPcm() {
      return bytesPerPcmFrame > 0;
    }
  }
}
