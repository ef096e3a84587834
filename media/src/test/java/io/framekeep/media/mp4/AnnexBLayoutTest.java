package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.FrameTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layout and writing of Annex-B frames flagged at ingest, on a hand-made fragment. */
class AnnexBLayoutTest {
  /** Key frame, 3-byte start codes: 13 stored bytes, 15 once length-prefixed. */
  private static final byte[] ANNEX_B = HexFormat.of().parseHex("000001 0910 000001 6588841234"
      .replace(" ", ""));
  private static final byte[] LENGTH_PREFIXED = HexFormat.of().parseHex(
      "00000002 0910 00000005 6588841234".replace(" ", ""));

  /** Fragment payload: Annex-B key frame, then a plain frame, then another plain frame. */
  private static final byte[] PAYLOAD = concat(ANNEX_B, LENGTH_PREFIXED, LENGTH_PREFIXED);

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static ClipLayout layout() throws Exception {
    FrameTable table = new FrameTable.Builder(1_000_000, 0)
        .add(1, FrameTable.FLAG_KEY_FRAME | FrameTable.FLAG_ANNEX_B, 0, 0, ANNEX_B.length, 0,
            LENGTH_PREFIXED.length)
        .add(1, false, 40, ANNEX_B.length, LENGTH_PREFIXED.length, 0)
        .add(1, false, 80, ANNEX_B.length + LENGTH_PREFIXED.length, LENGTH_PREFIXED.length, 0)
        .build();
    return ProgressiveMp4Builder.build(new ClipSource(
        SyntheticClip.header(SyntheticClip.h264(1, "V_MPEG4/ISO/AVC", SyntheticClip.AVC_CPD)),
        List.of(table)));
  }

  @Test
  void build_annexBFrame_ownConvertingRunThenMergedPlainRun() throws Exception {
    ClipLayout layout = layout();

    assertThat(layout.runs()).containsExactly(
        SampleRun.annexBFrame(0, 0, ANNEX_B.length, LENGTH_PREFIXED.length),
        new SampleRun(0, ANNEX_B.length, 2L * LENGTH_PREFIXED.length));
    assertThat(layout.totalBytes())
        .isEqualTo(layout.prefix().remaining() + 3L * LENGTH_PREFIXED.length);
  }

  @Test
  void write_annexBRun_mdatHoldsLengthPrefixedFrames() throws Exception {
    ClipLayout layout = layout();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    long written = ClipWriter.write(layout, reader(PAYLOAD), Channels.newChannel(out));

    byte[] file = out.toByteArray();
    assertThat(written).isEqualTo(layout.totalBytes()).isEqualTo(file.length);
    int mdat = layout.prefix().remaining();
    assertThat(java.util.Arrays.copyOfRange(file, mdat, file.length))
        .isEqualTo(concat(LENGTH_PREFIXED, LENGTH_PREFIXED, LENGTH_PREFIXED));
  }

  @Test
  void write_storedBytesNoLongerAnnexB_ioException() throws Exception {
    ClipLayout layout = layout();
    byte[] changed = PAYLOAD.clone();
    changed[2] = 7; // the first start code is gone

    assertThatThrownBy(() -> ClipWriter.write(layout, reader(changed),
        Channels.newChannel(new ByteArrayOutputStream())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Annex-B");
  }

  @Test
  void sampleRun_plainRunWithDifferentOutputSize_illegalArgument() {
    assertThatThrownBy(() -> new SampleRun(0, 0, 10, false, 11))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new SampleRun(0, 5, 10).outputBytes()).isEqualTo(10);
  }

  private static ClipWriter.SampleReader reader(byte[] payload) {
    return (run, out) -> {
      ByteBuffer slice = ByteBuffer.wrap(payload, (int) run.offsetInFragment(),
          (int) run.lengthBytes());
      while (slice.hasRemaining()) {
        out.write(slice);
      }
    };
  }
}
