package io.framekeep.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.FrameBytes;
import io.framekeep.media.FrameInspection;
import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameInspectionTest {
  private static final byte[] GOOD = NalFrameInspectorTest.LENGTH_PREFIXED;
  private static final byte[] ANNEX_B = NalFrameInspectorTest.hex("000001 0910 000001 6588841234");
  private static final byte[] TRUNCATED = NalFrameInspectorTest.hex("00000002 0910 00000009 65");
  private static final byte[] AUDIO = {0x21, 0x10, 0x05};

  private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
  private final FrameTable.Builder table = new FrameTable.Builder(1_000_000, 0);
  private final List<Integer> reads = new ArrayList<>();

  private void frame(int track, boolean key, byte[] bytes) {
    table.add(track, key, table.size() * 10, payload.size(), bytes.length, 0);
    payload.writeBytes(bytes);
  }

  private FrameBytes source() {
    byte[] bytes = payload.toByteArray();
    return (offset, size) -> {
      reads.add(offset);
      return ByteBuffer.wrap(bytes, offset, size);
    };
  }

  static MkvHeader header(String videoCodecId, byte[] videoCpd) {
    return new MkvHeader(new byte[0], 1_000_000, List.of(
        new TrackInfo(1, TrackInfo.TYPE_VIDEO, videoCodecId, videoCpd, 0, 320, 240, 0, 0, 0),
        new TrackInfo(2, TrackInfo.TYPE_AUDIO, "A_AAC", new byte[] {0x11, (byte) 0x90}, 0, 0, 0,
            48000, 2, 0)));
  }

  @Test
  void inspect_h264Frames_flagsAnnexBAndInvalidKeepsEverythingElse() throws Exception {
    frame(1, true, GOOD);
    frame(2, true, AUDIO);
    frame(1, false, ANNEX_B);
    frame(1, false, TRUNCATED);
    FrameTable original = table.build();

    FrameTable t = FrameInspection.inspect(
        header("V_MPEG4/ISO/AVC", AvcDecoderConfigTest.HIGH_320x240), original, source());

    assertThat(t.flags(0)).isEqualTo(FrameTable.FLAG_KEY_FRAME);
    assertThat(t.flags(1)).isEqualTo(FrameTable.FLAG_KEY_FRAME);
    assertThat(t.isAnnexB(2)).isTrue();
    assertThat(t.convertedSize(2)).isEqualTo(GOOD.length);
    assertThat(t.isInvalid(3)).isTrue();
    for (int i = 0; i < t.size(); i++) {
      assertThat(t.offset(i)).isEqualTo(original.offset(i));
      assertThat(t.frameSize(i)).isEqualTo(original.frameSize(i));
      assertThat(t.relativeTimeTicks(i)).isEqualTo(original.relativeTimeTicks(i));
      assertThat(t.isKeyFrame(i)).isEqualTo(original.isKeyFrame(i));
    }
    assertThat(reads).as("audio frame is not read").containsExactly(0, GOOD.length + AUDIO.length,
        GOOD.length + AUDIO.length + ANNEX_B.length);
  }

  @Test
  void inspect_h265Frames_usesHvccLengthSize() throws Exception {
    byte[] cpd = HevcDecoderConfigTest.MAIN_320x240.clone();
    cpd[21] = (byte) 0x0d; // 2-byte NAL lengths
    frame(1, true, NalFrameInspectorTest.hex("0003 460150"));
    frame(1, false, GOOD); // 4-byte lengths no longer fit: 0x0000 is a zero-length NAL

    FrameTable t = FrameInspection.inspect(header("V_MPEGH/ISO/HEVC", cpd), table.build(), source());

    assertThat(t.isInvalid(0)).isFalse();
    assertThat(t.isInvalid(1)).isTrue();
  }

  @Test
  void inspect_emptyVideoFrame_invalidWithoutReading() throws Exception {
    frame(1, true, new byte[0]);

    FrameTable t = FrameInspection.inspect(
        header("V_MPEG4/ISO/AVC", AvcDecoderConfigTest.HIGH_320x240), table.build(), source());

    assertThat(t.isInvalid(0)).isTrue();
    assertThat(reads).isEmpty();
  }

  @Test
  void inspect_unparsableCpd_tableReturnedUnflagged() throws Exception {
    frame(1, true, TRUNCATED);

    FrameTable t = FrameInspection.inspect(header("V_MPEG4/ISO/AVC", new byte[] {0, 0, 0, 1}),
        table.build(), source());

    assertThat(t.isInvalid(0)).isFalse();
    assertThat(reads).isEmpty();
  }

  @Test
  void inspect_noH26xTrack_sameInstance() throws Exception {
    frame(1, true, TRUNCATED);
    FrameTable original = table.build();

    assertThat(FrameInspection.inspect(header("V_VP8", new byte[0]), original, source()))
        .isSameAs(original);
  }

  @Test
  void inspect_previousFlagsReplaced() throws Exception {
    payload.writeBytes(GOOD);
    table.add(1, FrameTable.FLAG_KEY_FRAME | FrameTable.FLAG_ANNEX_B, 0, 0, GOOD.length, 0, 99);

    FrameTable t = FrameInspection.inspect(
        header("V_MPEG4/ISO/AVC", AvcDecoderConfigTest.HIGH_320x240), table.build(), source());

    assertThat(t.flags(0)).isEqualTo(FrameTable.FLAG_KEY_FRAME);
  }

  @Test
  void inspect_sourceReturnsShortBuffer_ioException() {
    frame(1, true, GOOD);
    FrameTable original = table.build();

    assertThatThrownBy(() -> FrameInspection.inspect(
        header("V_MPEG4/ISO/AVC", AvcDecoderConfigTest.HIGH_320x240), original,
        (offset, size) -> ByteBuffer.allocate(size - 1)))
        .isInstanceOf(IOException.class);
  }
}
