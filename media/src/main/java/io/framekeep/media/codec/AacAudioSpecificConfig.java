package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;

/**
 * An MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), the codec private data of an
 * {@code A_AAC} track and the DecoderSpecificInfo of an MP4 {@code esds} box.
 *
 * <p>Bit layout read here: {@code audioObjectType:5 (31 = escape, then 6 more bits + 32);
 * samplingFrequencyIndex:4 (15 = explicit 24-bit rate); channelConfiguration:4}; for SBR/PS
 * (object type 5 or 29) the extension sampling frequency and the core object type follow; for the
 * general-audio types the GASpecificConfig {@code frameLengthFlag} selects 960 or 1024 samples.
 *
 * <p>Immutable and thread-safe (callers must not modify {@link #raw()}).
 *
 * @param raw the config exactly as stored
 * @param objectType the audio object type (2 = AAC LC); for SBR/PS the core object type
 * @param sampleRateHz the output sampling rate (the extension rate when SBR is signalled)
 * @param channelCount channels from channelConfiguration, or 0 when it is 0 (defined by a PCE)
 * @param samplesPerFrame PCM samples per access unit at {@code sampleRateHz}: 1024, 960 or 2048
 */
public record AacAudioSpecificConfig(
    byte[] raw, int objectType, int sampleRateHz, int channelCount, int samplesPerFrame) {
  /** Object types signalling SBR (5) and parametric stereo (29), which double the output rate. */
  private static final int OBJECT_TYPE_SBR = 5;
  private static final int OBJECT_TYPE_PS = 29;
  private static final int OBJECT_TYPE_ESCAPE = 31;
  private static final int FREQUENCY_INDEX_EXPLICIT = 15;
  /** A config is a handful of bytes; anything this large is not an AudioSpecificConfig. */
  public static final int MAX_CONFIG_BYTES = 1024;

  private static final int[] SAMPLE_RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };
  /** channelConfiguration → channel count (ISO/IEC 14496-3 Table 1.19); 0 = from PCE. */
  private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8, 0};

  /**
   * Parses an AudioSpecificConfig.
   *
   * @throws MediaFormatException (invalid codec private data) when truncated, when it uses a
   *     reserved frequency index, or when no usable sample rate results
   */
  public static AacAudioSpecificConfig parse(byte[] config) throws MediaFormatException {
    if (config == null || config.length == 0) {
      throw MediaFormatException.missingCodecPrivateData("AAC track has no codec private data");
    }
    if (config.length > MAX_CONFIG_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "AAC AudioSpecificConfig is " + config.length + " bytes, over " + MAX_CONFIG_BYTES);
    }
    BitReader r = new BitReader(config, "AAC AudioSpecificConfig");
    int objectType = readObjectType(r); // audioObjectType
    int sampleRate = readSampleRate(r); // samplingFrequencyIndex / samplingFrequency
    int channelConfig = (int) r.readBits(4); // channelConfiguration
    int samplesPerFrame = 1024;
    if (objectType == OBJECT_TYPE_SBR || objectType == OBJECT_TYPE_PS) {
      sampleRate = readSampleRate(r); // extensionSamplingFrequencyIndex
      objectType = readObjectType(r); // core audioObjectType
      samplesPerFrame = 2048;
    } else if (isGeneralAudio(objectType) && r.bitsLeft() >= 1) {
      samplesPerFrame = r.readFlag() ? 960 : 1024; // GASpecificConfig frameLengthFlag
    }
    if (objectType == 0) {
      throw MediaFormatException.invalidCodecPrivateData(
          "AAC AudioSpecificConfig has audio object type 0 (null)");
    }
    return new AacAudioSpecificConfig(
        config.clone(), objectType, sampleRate, CHANNELS[channelConfig], samplesPerFrame);
  }

  private static int readObjectType(BitReader r) throws MediaFormatException {
    int type = (int) r.readBits(5);
    return type == OBJECT_TYPE_ESCAPE ? 32 + (int) r.readBits(6) : type;
  }

  private static int readSampleRate(BitReader r) throws MediaFormatException {
    int index = (int) r.readBits(4);
    if (index == FREQUENCY_INDEX_EXPLICIT) {
      int rate = (int) r.readBits(24); // samplingFrequency
      if (rate == 0) {
        throw MediaFormatException.invalidCodecPrivateData(
            "AAC AudioSpecificConfig has an explicit sampling frequency of 0");
      }
      return rate;
    }
    if (index >= SAMPLE_RATES.length) {
      throw MediaFormatException.invalidCodecPrivateData(
          "AAC AudioSpecificConfig uses reserved sampling frequency index " + index);
    }
    return SAMPLE_RATES[index];
  }

  /** Object types whose config continues with a GASpecificConfig. */
  private static boolean isGeneralAudio(int objectType) {
    return (objectType >= 1 && objectType <= 4) || objectType == 6 || objectType == 7
        || (objectType >= 17 && objectType <= 23);
  }
}
