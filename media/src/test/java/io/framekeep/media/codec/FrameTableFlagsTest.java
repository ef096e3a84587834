package io.framekeep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The per-frame flags of {@link FrameTable} and its version 1 / version 2 encodings. */
class FrameTableFlagsTest {
  /**
   * A version 1 table as written before the ANNEX_B and INVALID flags existed: scale 1,000,000
   * ns, cluster timecode 1000, two frames (track 1 key at 0 ms, offset 10, 300 bytes; track 2 at
   * 5 ms, right after it, 20 bytes, duration 21).
   */
  static final byte[] VERSION_1 = HexFormat.of().parseHex(
      "01" + "c0843d" + "d00f" + "02" + "01" + "01" + "00" + "14" + "ac02" + "00"
          + "02" + "00" + "0a" + "00" + "14" + "15");

  static FrameTable flagged() {
    return new FrameTable.Builder(1_000_000, -5)
        .add(1, true, 0, 10, 300, 0)
        .add(1, FrameTable.FLAG_ANNEX_B, 33, 310, 120, 0, 121)
        .add(2, FrameTable.FLAG_KEY_FRAME, 5, 430, 20, 21, 0)
        .add(1, FrameTable.FLAG_INVALID, 66, 450, 7, 0, 0)
        .add(1, FrameTable.FLAG_KEY_FRAME | FrameTable.FLAG_ANNEX_B, 99, 457, 70_000, 0, 70_003)
        .build();
  }

  @Test
  void decode_version1_readsKeyFlagsAndNoConversion() throws Exception {
    FrameTable t = FrameTable.decode(VERSION_1);

    assertThat(t.size()).isEqualTo(2);
    assertThat(t.clusterTimecodeTicks()).isEqualTo(1000);
    assertThat(t.isKeyFrame(0)).isTrue();
    assertThat(t.isKeyFrame(1)).isFalse();
    assertThat(t.offset(1)).isEqualTo(310);
    assertThat(t.frameSize(0)).isEqualTo(300);
    assertThat(t.durationTicks(1)).isEqualTo(21);
    assertThat(t.isAnnexB(0)).isFalse();
    assertThat(t.isInvalid(0)).isFalse();
    assertThat(t.convertedSize(0)).isEqualTo(300);
  }

  @Test
  void encode_version1TableReencoded_version2WithSameFrames() throws Exception {
    FrameTable v1 = FrameTable.decode(VERSION_1);

    byte[] encoded = v1.encode();
    FrameTable again = FrameTable.decode(encoded);

    assertThat(encoded[0]).isEqualTo((byte) 2);
    assertThat(again.encode()).isEqualTo(encoded);
    assertThat(again.offset(1)).isEqualTo(310);
    assertThat(again.isKeyFrame(0)).isTrue();
  }

  @Test
  void encodeDecode_version2Flags_roundTrip() throws Exception {
    FrameTable t = FrameTable.decode(flagged().encode());

    assertThat(t.size()).isEqualTo(5);
    assertThat(t.isAnnexB(1)).isTrue();
    assertThat(t.convertedSize(1)).isEqualTo(121);
    assertThat(t.isKeyFrame(1)).isFalse();
    assertThat(t.convertedSize(2)).isEqualTo(20);
    assertThat(t.isInvalid(3)).isTrue();
    assertThat(t.isAnnexB(3)).isFalse();
    assertThat(t.isKeyFrame(4)).isTrue();
    assertThat(t.isAnnexB(4)).isTrue();
    assertThat(t.convertedSize(4)).isEqualTo(70_003);
    assertThat(t.frameSize(4)).isEqualTo(70_000);
    assertThat(t.encode()).isEqualTo(flagged().encode());
  }

  @Test
  void decode_version1WithAnnexBBit_malformed() {
    byte[] bytes = VERSION_1.clone();
    bytes[6] = 3; // first frame's flags: key + ANNEX_B, which version 1 cannot carry
    assertMalformed(bytes);
  }

  @Test
  void decode_unknownFlagBit_malformed() {
    byte[] bytes = VERSION_1.clone();
    bytes[0] = 2;
    bytes[6] = 9;
    assertMalformed(bytes);
  }

  @Test
  void decode_annexBAndInvalidTogether_malformed() {
    byte[] bytes = flagged().encode();
    // Frame 1 (ANNEX_B) flags byte follows frame 0 (01 01 00 14 ac02 00) after the 1+3+1+1 header.
    int flagsAt = 1 + 3 + 1 + 1 + 7 + 1;
    assertThat(bytes[flagsAt]).isEqualTo((byte) FrameTable.FLAG_ANNEX_B);
    bytes[flagsAt] = (byte) (FrameTable.FLAG_ANNEX_B | FrameTable.FLAG_INVALID);
    assertMalformed(bytes);
  }

  @Test
  void decode_everyTruncationOfVersion2_malformedNeverUnchecked() {
    byte[] bytes = flagged().encode();
    for (int length = 0; length < bytes.length; length++) {
      assertMalformed(Arrays.copyOf(bytes, length));
    }
  }

  @Test
  void builderAdd_annexBWithoutConvertedSize_illegalArgument() {
    FrameTable.Builder b = new FrameTable.Builder(1_000_000, 0);
    assertThatThrownBy(() -> b.add(1, FrameTable.FLAG_ANNEX_B, 0, 0, 10, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.add(1, 8, 0, 0, 10, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertMalformed(byte[] bytes) {
    assertThatThrownBy(() -> FrameTable.decode(bytes)).as("%d bytes", bytes.length)
        .isInstanceOfSatisfying(MediaFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.MALFORMED));
  }
}
