package io.framekeep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Codec private data below is the {@code extradata} that {@code ffprobe -show_data -show_streams}
 * prints for one-frame files made with:
 *
 * <pre>
 * HIGH_320x240:   ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -frames:v 1 -c:v libx264
 *                   -preset veryfast -f matroska high320.mkv
 * BASELINE_1080:  ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=30 -frames:v 1 -c:v libx264
 *                   -profile:v baseline -preset ultrafast -f matroska base1080.mkv
 * HIGH444_320x240: ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -frames:v 1 -c:v libx264
 *                   -pix_fmt yuv444p -preset ultrafast -f matroska h444.mkv
 * </pre>
 */
class AvcDecoderConfigTest {
  static final byte[] HIGH_320x240 = hex(
      "0164000dffe1001967640 00dacd94141fb0110000003001000000303c0f14299600100 0468ef8fcbfdf8f800");
  static final byte[] BASELINE_1080 = hex(
      "0142c028ffe100196742c028da01e0089f97011000000300100000 0303c0f1832a01000468ce0fc8");
  static final byte[] HIGH444_320x240 = hex(
      "01f4000dffe1001867f4000d91968141fb0110000003001000000303c0f142aa01000568ce0f1920fff8f800");

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void parse_ffmpegHighProfile_readsFieldsAndSize() throws Exception {
    AvcDecoderConfig config = AvcDecoderConfig.parse(HIGH_320x240);

    assertThat(config.profileIdc()).isEqualTo(100);
    assertThat(config.levelIdc()).isEqualTo(13);
    assertThat(config.nalLengthSize()).isEqualTo(4);
    assertThat(config.sps()).hasSize(1);
    assertThat(config.sps().get(0)).hasSize(0x19);
    assertThat(config.pps()).hasSize(1);
    assertThat(config.pps().get(0)).hasSize(4);
    assertThat(config.width()).isEqualTo(320);
    assertThat(config.height()).isEqualTo(240);
    assertThat(config.raw()).isEqualTo(HIGH_320x240);
  }

  @Test
  void parse_baseline1080_appliesFrameCropping() throws Exception {
    AvcDecoderConfig config = AvcDecoderConfig.parse(BASELINE_1080);

    assertThat(config.profileIdc()).isEqualTo(66);
    assertThat(config.width()).isEqualTo(1920);
    assertThat(config.height()).isEqualTo(1080);
  }

  @Test
  void parse_high444_readsChromaFieldsAndSize() throws Exception {
    AvcDecoderConfig config = AvcDecoderConfig.parse(HIGH444_320x240);

    assertThat(config.profileIdc()).isEqualTo(244);
    assertThat(AvcSps.parse(config.sps().get(0)).chromaFormatIdc()).isEqualTo(3);
    assertThat(config.width()).isEqualTo(320);
    assertThat(config.height()).isEqualTo(240);
  }

  @Test
  void parse_annexBStartCodes_rejectedAsInvalidCodecPrivateData() {
    byte[] annexB = hex("00000001 6764000dacd94141fb0110000003001000000303c0f1429960 00000001 68ef8fcbfdf8f800");

    assertThatThrownBy(() -> AvcDecoderConfig.parse(annexB))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA))
        .hasMessageContaining("Annex-B");
  }

  @Test
  void parse_everyTruncation_rejectedAsInvalidCodecPrivateData() {
    // Cutting anywhere before the end of the PPS must fail cleanly, never with a runtime exception.
    int ppsEnd = HIGH_320x240.length - 4; // trailing high-profile chroma fields are optional
    for (int length = 1; length < ppsEnd; length++) {
      byte[] truncated = Arrays.copyOf(HIGH_320x240, length);
      assertThatThrownBy(() -> AvcDecoderConfig.parse(truncated))
          .as("length %d", length)
          .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
              .isEqualTo(MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA));
    }
  }

  @Test
  void parse_empty_missingCodecPrivateData() {
    assertThatThrownBy(() -> AvcDecoderConfig.parse(new byte[0]))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.MISSING_CODEC_PRIVATE_DATA));
  }

  @Test
  void parse_wrongVersion_rejected() {
    byte[] bad = HIGH_320x240.clone();
    bad[0] = 2;

    assertThatThrownBy(() -> AvcDecoderConfig.parse(bad)).hasMessageContaining("configurationVersion");
  }

  @Test
  void parse_threeByteLengthSize_rejected() {
    byte[] bad = HIGH_320x240.clone();
    bad[4] = (byte) 0xFE;

    assertThatThrownBy(() -> AvcDecoderConfig.parse(bad)).hasMessageContaining("3-byte");
  }

  @Test
  void parse_twoByteLengthSize_reported() throws Exception {
    byte[] config = HIGH_320x240.clone();
    config[4] = (byte) 0xFD;

    assertThat(AvcDecoderConfig.parse(config).nalLengthSize()).isEqualTo(2);
  }

  @Test
  void parse_unparsableSps_keepsRecordWithZeroSize() throws Exception {
    // A valid record whose SPS body is cut short: the record parses, the size falls back to 0.
    byte[] config = hex("0164000dffe100046764000d0100020000");

    AvcDecoderConfig parsed = AvcDecoderConfig.parse(config);

    assertThat(parsed.width()).isZero();
    assertThat(parsed.height()).isZero();
  }

  @Test
  void parse_spsLengthPastEnd_rejected() {
    byte[] config = hex("0164000dffe100ff6764");

    assertThatThrownBy(() -> AvcDecoderConfig.parse(config)).hasMessageContaining("does not fit");
  }

  @Test
  void parse_overOneMebibyte_rejectedBeforeParsing() {
    byte[] huge = new byte[AvcDecoderConfig.MAX_CODEC_PRIVATE_BYTES + 1];
    huge[0] = 1;

    assertThatThrownBy(() -> AvcDecoderConfig.parse(huge)).hasMessageContaining("over");
  }

  @Test
  void spsParse_expGolombLongerThan32Bits_rejected() {
    byte[] sps = hex("6764000d 00000000 00000000");

    assertThatThrownBy(() -> AvcSps.parse(sps)).hasMessageContaining("longer than 32 bits");
  }

  @Test
  void spsParse_widthBeyondLimit_rejected() {
    // Baseline SPS: ue(0) id, ue(0) log2_max_frame_num_minus4, ue(2) poc type, ue(1) refs,
    // gaps 0, ue(2047) pic_width_in_mbs_minus1 (2048 MBs = 32768 px), ue(0) height, flags, stop.
    byte[] sps = hex("6742c01e da000800e8");

    assertThatThrownBy(() -> AvcSps.parse(sps)).hasMessageContaining("pic_width_in_mbs");
  }
}
