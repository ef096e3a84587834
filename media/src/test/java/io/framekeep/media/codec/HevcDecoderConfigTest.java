package io.framekeep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Codec private data below is the {@code extradata} that {@code ffprobe -show_data -show_streams}
 * prints for one-frame files made with (ffmpeg 5.1, x265 3.5)
 *
 * <pre>
 * MAIN_320x240:  ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -frames:v 1 -c:v libx265
 *                  -f matroska hevc320.mkv
 * MAIN_1920x1080: the same with size=1920x1080 (coded 1920x1088, conformance window of 8 rows)
 * </pre>
 *
 * <p>with the fourth array (one SEI NAL unit, type 39, holding the 2,293-byte x265 version
 * string) removed and numOfArrays set to 3 to keep the constants short; {@link
 * #parse_seiArrayPresent_isSkipped} puts an SEI array back.
 */
class HevcDecoderConfigTest {
  static final byte[] MAIN_320x240 = hex("0101600000009000000000003cf000fcfdf8f800000f0320"
      + "0001001840010c01ffff01600000030090000003000003003c959809210001002a4201010160000003"
      + "0090000003000003003ca00a080f165959a4932bc05a020000030002000003003c1022000100074401"
      + "c172b46240");
  static final byte[] MAIN_1920x1080 = hex("01016000000090000000000078f000fcfdf8f800000f0320"
      + "0001001840010c01ffff016000000300900000030000030078959809210001002a42010101600000"
      + "0300900000030000030078a003c08010e596566924caf0168080000003008000000f042200010007"
      + "4401c172b46240");

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void parse_ffmpegMain320_readsFieldsAndSize() throws Exception {
    HevcDecoderConfig config = HevcDecoderConfig.parse(MAIN_320x240);

    assertThat(config.generalProfileSpace()).isZero();
    assertThat(config.generalTierFlag()).isFalse();
    assertThat(config.generalProfileIdc()).isEqualTo(1);
    assertThat(config.generalLevelIdc()).isEqualTo(60);
    assertThat(config.nalLengthSize()).isEqualTo(4);
    assertThat(config.vps()).hasSize(1);
    assertThat(config.sps()).hasSize(1);
    assertThat(config.sps().get(0)).hasSize(0x2a);
    assertThat(config.pps()).hasSize(1);
    assertThat(config.width()).isEqualTo(320);
    assertThat(config.height()).isEqualTo(240);
    assertThat(config.raw()).isEqualTo(MAIN_320x240);
  }

  @Test
  void parse_ffmpegMain1080_appliesConformanceWindow() throws Exception {
    HevcDecoderConfig config = HevcDecoderConfig.parse(MAIN_1920x1080);

    assertThat(config.generalLevelIdc()).isEqualTo(120);
    assertThat(config.width()).isEqualTo(1920);
    assertThat(config.height()).isEqualTo(1080);
  }

  @Test
  void parse_seiArrayPresent_isSkipped() throws Exception {
    ByteArrayOutputStream cpd = new ByteArrayOutputStream();
    cpd.writeBytes(MAIN_320x240);
    byte[] bytes = cpd.toByteArray();
    bytes[22] = 4; // numOfArrays
    cpd.reset();
    cpd.writeBytes(bytes);
    cpd.writeBytes(hex("27 0001 0004 4e01 05ff")); // prefix SEI array with one 4-byte NAL unit

    HevcDecoderConfig config = HevcDecoderConfig.parse(cpd.toByteArray());

    assertThat(config.sps()).hasSize(1);
    assertThat(config.width()).isEqualTo(320);
  }

  @Test
  void parse_twoByteLengthSize_reported() throws Exception {
    byte[] cpd = MAIN_320x240.clone();
    cpd[21] = (byte) 0x0d; // lengthSizeMinusOne = 1

    assertThat(HevcDecoderConfig.parse(cpd).nalLengthSize()).isEqualTo(2);
  }

  @Test
  void parse_unparsableSps_sizeZeroButRecordAccepted() throws Exception {
    byte[] cpd = MAIN_320x240.clone();
    int spsBody = 23 + 3 + 2 + 0x18 + 3 + 2 + 2; // header, VPS array, SPS array header, NAL header
    Arrays.fill(cpd, spsBody, spsBody + 0x28, (byte) 0);

    HevcDecoderConfig config = HevcDecoderConfig.parse(cpd);

    assertThat(config.width()).isZero();
    assertThat(config.height()).isZero();
  }

  @Test
  void parse_empty_missingCodecPrivateData() {
    assertKind(new byte[0], MediaFormatException.Kind.MISSING_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_annexBParameterSets_invalidCodecPrivateData() {
    assertKind(hex("00000001 40010c01ffff0160 00000001 4201010160"),
        MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_avcRecord_invalidCodecPrivateData() {
    assertKind(AvcDecoderConfigTest.HIGH_320x240, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_version0_invalidCodecPrivateData() {
    byte[] cpd = MAIN_320x240.clone();
    cpd[0] = 0;
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_threeByteLengthSize_invalidCodecPrivateData() {
    byte[] cpd = MAIN_320x240.clone();
    cpd[21] = (byte) 0x0e;
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_noSpsArray_invalidCodecPrivateData() {
    byte[] cpd = Arrays.copyOf(MAIN_320x240, 23 + 3 + 2 + 0x18);
    cpd[22] = 1; // only the VPS array
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_nalTypeDisagreesWithArray_invalidCodecPrivateData() {
    byte[] cpd = MAIN_320x240.clone();
    cpd[23] = (byte) 0xA1; // array_completeness + NAL_unit_type 33, but it holds the VPS
    assertKind(cpd, MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void parse_everyTruncation_invalidCodecPrivateDataNeverUnchecked() {
    for (int length = 1; length < MAIN_320x240.length; length++) {
      byte[] cut = Arrays.copyOf(MAIN_320x240, length);
      assertThatThrownBy(() -> HevcDecoderConfig.parse(cut)).as("length %d", length)
          .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
              .isEqualTo(MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA));
    }
  }

  @Test
  void parse_randomGarbage_onlyMediaFormatException() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = MAIN_320x240.clone();
      for (int flips = 0; flips < 4; flips++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      try {
        HevcDecoderConfig.parse(bytes);
      } catch (MediaFormatException expected) {
        // fine: any failure must be this checked exception
      }
    }
  }

  @Test
  void parseSps_notAnSps_invalidCodecPrivateData() {
    assertThatThrownBy(() -> HevcSps.parse(hex("4401c172b46240")))
        .isInstanceOf(MediaFormatException.class);
  }

  private static void assertKind(byte[] cpd, MediaFormatException.Kind kind) {
    assertThatThrownBy(() -> HevcDecoderConfig.parse(cpd))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
