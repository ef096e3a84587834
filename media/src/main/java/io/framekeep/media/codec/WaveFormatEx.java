package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;

/**
 * A Microsoft WAVEFORMATEX structure, the codec private data of an {@code A_MS/ACM} track. KVS
 * uses it for G.711 audio (KVS spec §4.2, §4.3).
 *
 * <p>Layout, all little-endian: {@code u16 wFormatTag; u16 nChannels; u32 nSamplesPerSec; u32
 * nAvgBytesPerSec; u16 nBlockAlign; u16 wBitsPerSample; [u16 cbSize; cbSize extra bytes]}. The
 * producer SDK writes 18 bytes; 16 (the older WAVEFORMAT plus wBitsPerSample) are accepted.
 *
 * <p>Only G.711 is accepted here (format tag 6 A-law, 7 µ-law): 8 bits per sample, 1 to {@link
 * #MAX_CHANNELS} channels, {@link #MIN_SAMPLE_RATE_HZ} to {@link #MAX_SAMPLE_RATE_HZ}. Immutable
 * and thread-safe.
 *
 * <p>What AWS's producers write: the producer SDK ({@code kvssink}) declares {@code
 * wBitsPerSample = 0} and {@code nAvgBytesPerSec = 1000} for 8 kHz mono A-law (bytes {@code 0600
 * 0100 401f0000 e8030000 0100 0000 0000}). G.711 codes every sample in 8 bits by definition
 * (ITU-T G.711), so a declared 0 means "not stated" and is read as 8; any other value than 0 or 8
 * contradicts the format tag and is refused. {@code nAvgBytesPerSec} and {@code nBlockAlign} are
 * kept as declared but never used: timing follows from the sample rate and channel count alone.
 *
 * @param formatTag wFormatTag ({@link #FORMAT_ALAW} or {@link #FORMAT_MULAW})
 * @param channels nChannels
 * @param sampleRateHz nSamplesPerSec
 * @param avgBytesPerSecond nAvgBytesPerSec, as declared (not used for timing)
 * @param blockAlign nBlockAlign, as declared
 * @param bitsPerSample bits per coded sample: always {@link #G711_BITS_PER_SAMPLE}, also when the
 *     structure declared 0 ({@link #BITS_PER_SAMPLE_UNSTATED})
 * @param extraSize cbSize, or 0 when the structure has only 16 bytes
 */
public record WaveFormatEx(
    int formatTag,
    int channels,
    int sampleRateHz,
    long avgBytesPerSecond,
    int blockAlign,
    int bitsPerSample,
    int extraSize) {
  /** wFormatTag of ITU-T G.711 A-law (WAVE_FORMAT_ALAW). */
  public static final int FORMAT_ALAW = 0x0006;
  /** wFormatTag of ITU-T G.711 µ-law (WAVE_FORMAT_MULAW). */
  public static final int FORMAT_MULAW = 0x0007;
  /** Bytes up to and including wBitsPerSample; the producer SDK accepts no less. */
  public static final int MIN_BYTES = 16;
  /** Producer SDK limit on codec private data (KVS spec §4.2); larger CPD is refused unread. */
  public static final int MAX_CODEC_PRIVATE_BYTES = 1 << 20;
  /** G.711 sample-rate range the producer SDK accepts (KVS spec §4.3). */
  public static final int MIN_SAMPLE_RATE_HZ = 8_000;
  public static final int MAX_SAMPLE_RATE_HZ = 192_000;
  /** Most channels accepted: 7.1 layouts; also keeps per-sample arithmetic far from overflow. */
  public static final int MAX_CHANNELS = 8;
  /** G.711 codes every sample in one byte. */
  public static final int G711_BITS_PER_SAMPLE = 8;
  /**
   * wBitsPerSample as the producer SDK writes it for G.711: 0, "not stated" (WAVEFORMATEX leaves
   * it 0 for formats whose bit depth the format tag fixes); read as {@link #G711_BITS_PER_SAMPLE}.
   */
  public static final int BITS_PER_SAMPLE_UNSTATED = 0;

  /**
   * Reads the format tag without validating anything else, or returns -1 when fewer than two bytes
   * are present. Lets a caller tell A-law from µ-law before checking that the data is complete.
   */
  public static int peekFormatTag(byte[] cpd) {
    return cpd == null || cpd.length < 2 ? -1 : u16(cpd, 0);
  }

  /**
   * Parses and validates a G.711 WAVEFORMATEX.
   *
   * @throws MediaFormatException missing codec private data when empty; unsupported when the format
   *     tag is not A-law or µ-law; invalid codec private data when shorter than {@link #MIN_BYTES},
   *     when cbSize runs past the end, or when channels, rate or bit depth are out of range (a
   *     declared bit depth of 0 is accepted as 8, see the class comment)
   */
  public static WaveFormatEx parse(byte[] cpd) throws MediaFormatException {
    if (cpd == null || cpd.length == 0) {
      throw MediaFormatException.missingCodecPrivateData("A_MS/ACM track has no codec private data");
    }
    if (cpd.length > MAX_CODEC_PRIVATE_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "WAVEFORMATEX is " + cpd.length + " bytes, over " + MAX_CODEC_PRIVATE_BYTES);
    }
    if (cpd.length < MIN_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "WAVEFORMATEX is truncated: " + cpd.length + " bytes, at least " + MIN_BYTES + " needed");
    }
    int formatTag = u16(cpd, 0); // wFormatTag
    int channels = u16(cpd, 2); // nChannels
    long sampleRate = u32(cpd, 4); // nSamplesPerSec
    long avgBytesPerSecond = u32(cpd, 8); // nAvgBytesPerSec
    int blockAlign = u16(cpd, 12); // nBlockAlign
    int bitsPerSample = u16(cpd, 14); // wBitsPerSample
    int extraSize = cpd.length >= MIN_BYTES + 2 ? u16(cpd, 16) : 0; // cbSize
    if (formatTag != FORMAT_ALAW && formatTag != FORMAT_MULAW) {
      throw MediaFormatException.unsupported(
          "A_MS/ACM format tag " + formatTag + " is not G.711 A-law (6) or µ-law (7)");
    }
    if (MIN_BYTES + 2L + extraSize > cpd.length && cpd.length > MIN_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "WAVEFORMATEX cbSize " + extraSize + " runs past its " + cpd.length + " bytes");
    }
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw MediaFormatException.invalidCodecPrivateData(
          "WAVEFORMATEX declares " + channels + " channels; 1.." + MAX_CHANNELS + " supported");
    }
    if (sampleRate < MIN_SAMPLE_RATE_HZ || sampleRate > MAX_SAMPLE_RATE_HZ) {
      throw MediaFormatException.invalidCodecPrivateData("WAVEFORMATEX sample rate " + sampleRate
          + " Hz is outside " + MIN_SAMPLE_RATE_HZ + ".." + MAX_SAMPLE_RATE_HZ);
    }
    if (bitsPerSample != G711_BITS_PER_SAMPLE && bitsPerSample != BITS_PER_SAMPLE_UNSTATED) {
      throw MediaFormatException.invalidCodecPrivateData("WAVEFORMATEX declares " + bitsPerSample
          + " bits per sample for " + (formatTag == FORMAT_ALAW ? "G.711 A-law" : "G.711 µ-law")
          + " (format tag " + formatTag + "); G.711 has " + G711_BITS_PER_SAMPLE
          + " (or 0, not stated)");
    }
    return new WaveFormatEx(formatTag, channels, (int) sampleRate, avgBytesPerSecond, blockAlign,
        G711_BITS_PER_SAMPLE, extraSize);
  }

  public boolean isALaw() {
    return formatTag == FORMAT_ALAW;
  }

  private static int u16(byte[] b, int p) {
    return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
  }

  private static long u32(byte[] b, int p) {
    return (u16(b, p) | ((long) u16(b, p + 2) << 16));
  }
}
