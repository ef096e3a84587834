package io.framekeep.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameTable#decode} on corrupt blobs. A 10-byte varint carries 64 bits and reads as a
 * negative long; such values were once accepted and cast to negative ints (found by
 * {@code FrameTableFuzzTest}, input {@code regression-negative-duration}).
 */
class FrameTableDecodeTest {
  /** Unsigned LEB128 of 2^64 - 1: read as the long -1. */
  private static final String MINUS_ONE = "ffffffffffffffffff01";

  @Test
  void decode_validOneFrameTable_roundTrips() throws Exception {
    FrameTable table = new FrameTable.Builder(1_000_000L, 5).add(1, true, 0, 10, 100, 33).build();
    FrameTable decoded = FrameTable.decode(table.encode());
    assertThat(decoded.size()).isEqualTo(1);
    assertThat(decoded.frameSize(0)).isEqualTo(100);
    assertThat(decoded.durationTicks(0)).isEqualTo(33);
  }

  @Test
  void decode_negativeDuration_isMalformed() {
    // version 1, scale 1, cluster 0, 1 frame: track 1, flags 0, rel 0, offset 0, size 1, duration.
    assertMalformed("01" + "01" + "00" + "01" + "01" + "00" + "00" + "00" + "01" + MINUS_ONE);
  }

  @Test
  void decode_negativeSize_isMalformed() {
    assertMalformed("01" + "01" + "00" + "01" + "01" + "00" + "00" + "00" + MINUS_ONE + "00");
  }

  @Test
  void decode_negativeTrack_isMalformed() {
    assertMalformed("01" + "01" + "00" + "01" + MINUS_ONE + "00" + "00" + "00" + "01" + "00");
  }

  @Test
  void decode_negativeFrameCount_isMalformed() {
    assertMalformed("01" + "01" + "00" + MINUS_ONE);
  }

  @Test
  void decode_negativeTimecodeScale_isMalformed() {
    assertMalformed("01" + MINUS_ONE + "00" + "00");
  }

  private static void assertMalformed(String hex) {
    byte[] blob = HexFormat.of().parseHex(hex);
    assertThatThrownBy(() -> FrameTable.decode(blob))
        .isInstanceOf(MediaFormatException.class)
        .extracting(e -> ((MediaFormatException) e).kind())
        .isEqualTo(MediaFormatException.Kind.MALFORMED);
  }
}
