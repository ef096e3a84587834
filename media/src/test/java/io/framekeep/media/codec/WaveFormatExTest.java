package io.framekeep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link #ALAW_MONO_8K} is the 18-byte codec private data that {@code mkvinfo -v} shows for
 * {@code ffmpeg -f lavfi -i sine=sample_rate=8000 -t 0.2 -c:a pcm_alaw -f matroska alaw.mkv}.
 */
class WaveFormatExTest {
  static final byte[] ALAW_MONO_8K = HexFormat.of().parseHex("0600" + "0100" + "401f0000"
      + "401f0000" + "0100" + "0800" + "0000");
  /**
   * 8 kHz mono A-law as the AWS producer SDK's {@code kvssink} writes it (C++ SDK 3.6.0 /
   * producer-c 1.6.2): wBitsPerSample 0 and nAvgBytesPerSec 1000.
   */
  static final byte[] KVSSINK_ALAW_MONO_8K = HexFormat.of().parseHex("0600" + "0100" + "401f0000"
      + "e8030000" + "0100" + "0000" + "0000");

  @Test
  void parse_ffmpegAlaw_readsEveryField() throws Exception {
    WaveFormatEx wave = WaveFormatEx.parse(ALAW_MONO_8K);

    assertThat(wave.formatTag()).isEqualTo(WaveFormatEx.FORMAT_ALAW);
    assertThat(wave.isALaw()).isTrue();
    assertThat(wave.channels()).isEqualTo(1);
    assertThat(wave.sampleRateHz()).isEqualTo(8000);
    assertThat(wave.avgBytesPerSecond()).isEqualTo(8000);
    assertThat(wave.blockAlign()).isEqualTo(1);
    assertThat(wave.bitsPerSample()).isEqualTo(8);
    assertThat(wave.extraSize()).isZero();
  }

  @Test
  void parse_kvssinkAlawWithZeroBitsPerSample_readAsEightBitsMono8k() throws Exception {
    WaveFormatEx wave = WaveFormatEx.parse(KVSSINK_ALAW_MONO_8K);

    assertThat(wave.isALaw()).isTrue();
    assertThat(wave.channels()).isEqualTo(1);
    assertThat(wave.sampleRateHz()).isEqualTo(8000);
    assertThat(wave.bitsPerSample()).isEqualTo(WaveFormatEx.G711_BITS_PER_SAMPLE);
    assertThat(wave.avgBytesPerSecond()).as("kept as declared, unused").isEqualTo(1000);
    assertThat(wave.extraSize()).isZero();
  }

  @Test
  void parse_kvssinkMulawWithZeroBitsPerSample_readAsEightBits() throws Exception {
    byte[] cpd = KVSSINK_ALAW_MONO_8K.clone();
    cpd[0] = 7; // WAVE_FORMAT_MULAW

    WaveFormatEx wave = WaveFormatEx.parse(cpd);

    assertThat(wave.formatTag()).isEqualTo(WaveFormatEx.FORMAT_MULAW);
    assertThat(wave.bitsPerSample()).isEqualTo(WaveFormatEx.G711_BITS_PER_SAMPLE);
    assertThat(wave.sampleRateHz()).isEqualTo(8000);
  }

  @Test
  void parse_alawDeclaringSixteenBits_refusedNamingBitsAndFormat() {
    byte[] cpd = KVSSINK_ALAW_MONO_8K.clone();
    cpd[14] = 16;

    assertThatThrownBy(() -> WaveFormatEx.parse(cpd))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA))
        .hasMessageContaining("16 bits per sample for G.711 A-law (format tag 6)");
  }

  @Test
  void parse_zeroSampleRate_refusedNamingRate() {
    byte[] cpd = KVSSINK_ALAW_MONO_8K.clone();
    cpd[4] = 0;
    cpd[5] = 0;

    assertThatThrownBy(() -> WaveFormatEx.parse(cpd))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA))
        .hasMessageContaining("sample rate 0 Hz");
  }

  @Test
  void parse_stereoMulaw16kWithoutCbSize_accepted() throws Exception {
    byte[] cpd = HexFormat.of().parseHex("0700" + "0200" + "803e0000" + "007d0000" + "0200" + "0800");

    WaveFormatEx wave = WaveFormatEx.parse(cpd);

    assertThat(wave.isALaw()).isFalse();
    assertThat(wave.channels()).isEqualTo(2);
    assertThat(wave.sampleRateHz()).isEqualTo(16000);
  }

  @Test
  void parse_cbSizeWithExtraBytes_accepted() throws Exception {
    byte[] cpd = Arrays.copyOf(ALAW_MONO_8K, 20);
    cpd[16] = 2; // cbSize

    assertThat(WaveFormatEx.parse(cpd).extraSize()).isEqualTo(2);
  }

  @Test
  void parse_cbSizePastEnd_invalidCodecPrivateData() {
    byte[] cpd = ALAW_MONO_8K.clone();
    cpd[16] = 1;
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_pcmFormatTag_unsupported() {
    byte[] cpd = ALAW_MONO_8K.clone();
    cpd[0] = 1; // WAVE_FORMAT_PCM
    assertKind(cpd, MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void parse_empty_missingCodecPrivateData() {
    assertKind(new byte[0], MediaFormatException.Kind.MISSING_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_everyTruncationBelow16Bytes_invalidCodecPrivateData() {
    for (int length = 1; length < WaveFormatEx.MIN_BYTES; length++) {
      byte[] cut = Arrays.copyOf(ALAW_MONO_8K, length);
      assertThatThrownBy(() -> WaveFormatEx.parse(cut)).as("length %d", length)
          .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
              .isEqualTo(MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA));
    }
  }

  @Test
  void parse_zeroChannels_invalidCodecPrivateData() {
    byte[] cpd = ALAW_MONO_8K.clone();
    cpd[2] = 0;
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_sampleRateBelowRange_invalidCodecPrivateData() {
    byte[] cpd = ALAW_MONO_8K.clone();
    cpd[4] = 0x3f; // 7999 Hz
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_sampleRateWithHighBitSet_invalidCodecPrivateData() {
    byte[] cpd = ALAW_MONO_8K.clone();
    cpd[7] = (byte) 0x80; // above 2^31: must not wrap to a negative int
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_sixteenBitsPerSample_invalidCodecPrivateData() {
    byte[] cpd = ALAW_MONO_8K.clone();
    cpd[14] = 16;
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void peekFormatTag_shortOrNull_minusOne() {
    assertThat(WaveFormatEx.peekFormatTag(null)).isEqualTo(-1);
    assertThat(WaveFormatEx.peekFormatTag(new byte[] {7})).isEqualTo(-1);
    assertThat(WaveFormatEx.peekFormatTag(new byte[] {7, 0})).isEqualTo(7);
  }

  private static void assertKind(byte[] cpd, MediaFormatException.Kind kind) {
    assertThatThrownBy(() -> WaveFormatEx.parse(cpd))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
