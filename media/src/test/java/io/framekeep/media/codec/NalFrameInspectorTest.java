package io.framekeep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NalFrameInspectorTest {
  /** Two NAL units (an AUD, 2 bytes, and a slice, 5 bytes) with 4-byte length prefixes. */
  static final byte[] LENGTH_PREFIXED = hex("00000002 0910 00000005 6588841234");

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  static NalFrameInspector.Verdict inspect(byte[] frame, int nalLengthSize) {
    return NalFrameInspector.inspect(ByteBuffer.wrap(frame), nalLengthSize);
  }

  @Test
  void inspect_lengthPrefixed_valid() {
    assertThat(inspect(LENGTH_PREFIXED, 4)).isEqualTo(NalFrameInspector.Verdict.VALID);
  }

  @Test
  void inspect_oneAndTwoByteLengthSizes_valid() {
    assertThat(inspect(hex("02 0910 05 6588841234"), 1).kind()).isEqualTo(NalFrameInspector.Kind.VALID);
    assertThat(inspect(hex("0002 0910 0005 6588841234"), 2).kind())
        .isEqualTo(NalFrameInspector.Kind.VALID);
  }

  @Test
  void inspect_hevcLengthPrefixed_valid() {
    // An HEVC AUD (type 35, two-byte header) and an IDR slice header start.
    assertThat(inspect(hex("00000003 460150 00000004 2601af09"), 4).kind())
        .isEqualTo(NalFrameInspector.Kind.VALID);
  }

  @Test
  void inspect_bufferWindow_onlyPositionToLimitReadAndUnmoved() {
    byte[] padded = new byte[LENGTH_PREFIXED.length + 6];
    System.arraycopy(LENGTH_PREFIXED, 0, padded, 3, LENGTH_PREFIXED.length);
    ByteBuffer frame = ByteBuffer.wrap(padded, 3, LENGTH_PREFIXED.length);

    assertThat(NalFrameInspector.inspect(frame, 4).kind()).isEqualTo(NalFrameInspector.Kind.VALID);
    assertThat(frame.position()).isEqualTo(3);
    assertThat(frame.limit()).isEqualTo(3 + LENGTH_PREFIXED.length);
  }

  @Test
  void inspect_fourByteStartCodesSizePreserving_annexBWithSameSize() {
    NalFrameInspector.Verdict verdict = inspect(hex("00000001 0910 00000001 6588841234"), 4);

    assertThat(verdict.kind()).isEqualTo(NalFrameInspector.Kind.ANNEX_B);
    assertThat(verdict.convertedSize()).isEqualTo(LENGTH_PREFIXED.length);
  }

  @Test
  void inspect_threeByteStartCodes_annexBGrowsByOnePerNal() {
    NalFrameInspector.Verdict verdict = inspect(hex("000001 0910 000001 6588841234"), 4);

    assertThat(verdict.kind()).isEqualTo(NalFrameInspector.Kind.ANNEX_B);
    assertThat(verdict.convertedSize()).isEqualTo(LENGTH_PREFIXED.length);
  }

  @Test
  void inspect_mixedStartCodesAndTrailingZeros_annexBWithoutTheZeros() {
    NalFrameInspector.Verdict verdict = inspect(hex("00000001 0910 0000 000001 6588841234 0000"), 4);

    assertThat(verdict.kind()).isEqualTo(NalFrameInspector.Kind.ANNEX_B);
    assertThat(verdict.convertedSize()).isEqualTo(LENGTH_PREFIXED.length);
  }

  @Test
  void inspect_emulationPreventionInsideNal_notASplit() {
    NalFrameInspector.Verdict verdict = inspect(hex("000001 65 000003 01 88"), 4);

    assertThat(verdict.kind()).isEqualTo(NalFrameInspector.Kind.ANNEX_B);
    assertThat(verdict.convertedSize()).isEqualTo(4 + 6);
  }

  @Test
  void inspect_empty_invalid() {
    assertThat(inspect(new byte[0], 4).kind()).isEqualTo(NalFrameInspector.Kind.INVALID);
  }

  @Test
  void inspect_nalRunsPastEnd_invalidNamingTheProblem() {
    NalFrameInspector.Verdict verdict = inspect(hex("00000002 0910 00000009 6588841234"), 4);

    assertThat(verdict.kind()).isEqualTo(NalFrameInspector.Kind.INVALID);
    assertThat(verdict.reason()).contains("runs past the end");
  }

  @Test
  void inspect_truncatedLengthPrefix_invalid() {
    assertThat(inspect(hex("00000002 0910 0000"), 4).reason()).contains("truncated");
  }

  @Test
  void inspect_zeroLengthNal_invalid() {
    assertThat(inspect(hex("00000002 0910 00000000 00000001 65"), 4).reason()).contains("length 0");
  }

  @Test
  void inspect_annexBWithEmptyNal_invalid() {
    NalFrameInspector.Verdict verdict = inspect(hex("000001 000001 65"), 4);

    assertThat(verdict.kind()).isEqualTo(NalFrameInspector.Kind.INVALID);
    assertThat(verdict.reason()).contains("empty NAL unit");
  }

  @Test
  void inspect_onlyAStartCode_invalid() {
    assertThat(inspect(hex("00000001"), 4).kind()).isEqualTo(NalFrameInspector.Kind.INVALID);
    assertThat(inspect(hex("000001"), 4).kind()).isEqualTo(NalFrameInspector.Kind.INVALID);
  }

  @Test
  void inspect_badLengthSize_illegalArgument() {
    assertThatThrownBy(() -> inspect(LENGTH_PREFIXED, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inspect_randomBytes_neverThrowsAndAnnexBVerdictsConvertExactly() throws Exception {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] frame = new byte[random.nextInt(40)];
      for (int j = 0; j < frame.length; j++) {
        // Mostly zeros and ones so that start codes and small lengths are common.
        int r = random.nextInt(8);
        frame[j] = (byte) (r < 4 ? 0 : r < 6 ? 1 : random.nextInt(256));
      }
      int lengthSize = new int[] {1, 2, 4}[random.nextInt(3)];
      NalFrameInspector.Verdict verdict = inspect(frame, lengthSize);
      if (verdict.kind() == NalFrameInspector.Kind.ANNEX_B) {
        ByteBuffer out = ByteBuffer.allocate(verdict.convertedSize());
        AnnexB.toLengthPrefixed(ByteBuffer.wrap(frame), out);
        assertThat(out.hasRemaining()).isFalse();
        out.flip();
        assertThat(NalFrameInspector.inspect(out, 4).kind()).isEqualTo(NalFrameInspector.Kind.VALID);
      }
    }
  }

  @Test
  void toLengthPrefixed_mixedStartCodes_writesLengthPrefixedNals() throws Exception {
    ByteBuffer in = ByteBuffer.wrap(hex("00000001 0910 000001 6588841234 00"));
    ByteBuffer out = ByteBuffer.allocate(32);

    int written = AnnexB.toLengthPrefixed(in, out);

    assertThat(written).isEqualTo(LENGTH_PREFIXED.length);
    assertThat(java.util.Arrays.copyOf(out.array(), written)).isEqualTo(LENGTH_PREFIXED);
    assertThat(in.position()).isZero();
  }

  @Test
  void toLengthPrefixed_notAnnexB_invalidMediaFrameAndOutputUntouched() {
    ByteBuffer out = ByteBuffer.allocate(32);

    assertThatThrownBy(() -> AnnexB.toLengthPrefixed(ByteBuffer.wrap(LENGTH_PREFIXED), out))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.INVALID_MEDIA_FRAME));
    assertThat(out.position()).isZero();
  }

  @Test
  void toLengthPrefixed_outputTooSmall_invalidMediaFrameAndOutputUntouched() {
    ByteBuffer out = ByteBuffer.allocate(LENGTH_PREFIXED.length - 1);

    assertThatThrownBy(() -> AnnexB.toLengthPrefixed(ByteBuffer.wrap(hex("000001 0910 000001 6588841234")), out))
        .isInstanceOf(MediaFormatException.class);
    assertThat(out.position()).isZero();
  }
}
