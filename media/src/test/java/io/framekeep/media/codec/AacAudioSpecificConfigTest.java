package io.framekeep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AacAudioSpecificConfigTest {
  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void parse_lc48kStereo_readsFields() throws Exception {
    // ffmpeg -c:a aac -ar 48000 -ac 2 writes 11 90 (plus, in MKV, sometimes trailing 56 e5 00).
    AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(hex("1190"));

    assertThat(config.objectType()).isEqualTo(2);
    assertThat(config.sampleRateHz()).isEqualTo(48000);
    assertThat(config.channelCount()).isEqualTo(2);
    assertThat(config.samplesPerFrame()).isEqualTo(1024);
  }

  @Test
  void parse_ffmpeg44kMonoWithSbrSignalling_readsCoreConfig() throws Exception {
    // extradata of: ffmpeg -f lavfi -i sine -t 1 -c:a aac -ar 44100 -ac 1 a.mkv
    AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(hex("120856e500"));

    assertThat(config.objectType()).isEqualTo(2);
    assertThat(config.sampleRateHz()).isEqualTo(44100);
    assertThat(config.channelCount()).isEqualTo(1);
  }

  @Test
  void parse_escapedObjectType_addsThirtyTwo() throws Exception {
    // object type 31 + 6 bits (2) = 34; index 3 (48 kHz); channel config 2.
    // bits: 11111 000010 0011 0010 000 -> 1111 1000 0100 0110 0100 0000
    AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(hex("f84640"));

    assertThat(config.objectType()).isEqualTo(34);
    assertThat(config.sampleRateHz()).isEqualTo(48000);
    assertThat(config.channelCount()).isEqualTo(2);
  }

  @Test
  void parse_explicitSampleRate_readsTwentyFourBits() throws Exception {
    // object type 2, index 15, rate 0x00BB80 (48000), channels 1.
    // bits: 00010 1111 000000001011101110000000 0001 000
    AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(hex("17805dc008"));

    assertThat(config.sampleRateHz()).isEqualTo(48000);
    assertThat(config.channelCount()).isEqualTo(1);
  }

  @Test
  void parse_heAacExplicitSbr_usesExtensionRateAndDoubleFrame() throws Exception {
    // object type 5, index 6 (24 kHz), channels 2, extension index 3 (48 kHz), core type 2.
    // bits: 00101 0110 0010 0011 00010 -> 0010 1011 0001 0001 1000 1000
    AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(hex("2b1188"));

    assertThat(config.objectType()).isEqualTo(2);
    assertThat(config.sampleRateHz()).isEqualTo(48000);
    assertThat(config.samplesPerFrame()).isEqualTo(2048);
  }

  @Test
  void parse_frameLengthFlag_gives960() throws Exception {
    // 00010 0011 0010 1 00 -> 0001 0001 1001 0100
    AacAudioSpecificConfig config = AacAudioSpecificConfig.parse(hex("1194"));

    assertThat(config.samplesPerFrame()).isEqualTo(960);
  }

  @Test
  void parse_channelConfigSeven_isEightChannels() throws Exception {
    // 00010 0011 0111 000 -> 0001 0001 1011 1000
    assertThat(AacAudioSpecificConfig.parse(hex("11b8")).channelCount()).isEqualTo(8);
  }

  @Test
  void parse_truncated_rejectedAsInvalidCodecPrivateData() {
    assertThatThrownBy(() -> AacAudioSpecificConfig.parse(hex("11")))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA));
  }

  @Test
  void parse_reservedFrequencyIndex_rejected() {
    // index 13: 00010 1101 0010 000 -> 0001 0110 1001 0000
    assertThatThrownBy(() -> AacAudioSpecificConfig.parse(hex("1690")))
        .hasMessageContaining("reserved sampling frequency index 13");
  }

  @Test
  void parse_empty_missingCodecPrivateData() {
    assertThatThrownBy(() -> AacAudioSpecificConfig.parse(new byte[0]))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.MISSING_CODEC_PRIVATE_DATA));
  }

  @Test
  void parse_overLimit_rejected() {
    byte[] huge = new byte[AacAudioSpecificConfig.MAX_CONFIG_BYTES + 1];

    assertThatThrownBy(() -> AacAudioSpecificConfig.parse(huge)).hasMessageContaining("over");
  }
}
