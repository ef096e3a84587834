package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.mkv.MkvHeader;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.ChunkOffset64BitBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;
import org.mp4parser.tools.Path;

/** Layouts beyond 4 GiB are computed from frame tables alone, so no media bytes are needed. */
class LargeClipLayoutTest {
  /** Four 400 MiB frames per fragment keep every in-fragment offset below 2^31. */
  private static final int FRAME_BYTES = 400 * 1024 * 1024;
  private static final int FRAMES_PER_FRAGMENT = 5;
  private static final int FRAGMENTS = 4;

  @Test
  void build_payloadOver4GiB_usesCo64AndLargesizeMdat() throws Exception {
    ClipLayout layout = ProgressiveMp4Builder.build(source(FRAMES_PER_FRAGMENT, FRAGMENTS));
    long payload = (long) FRAME_BYTES * FRAMES_PER_FRAGMENT * FRAGMENTS;
    ByteBuffer prefix = layout.prefix().duplicate();
    int prefixLength = prefix.remaining();

    assertThat(layout.totalBytes()).isEqualTo(prefixLength + payload);
    assertThat(layout.runs()).hasSize(FRAGMENTS).allSatisfy(run -> {
      assertThat(run.offsetInFragment()).isZero();
      assertThat(run.lengthBytes()).isEqualTo((long) FRAME_BYTES * FRAMES_PER_FRAGMENT);
    });
    // mdat header: size = 1, "mdat", 64-bit largesize covering header + payload
    ByteBuffer mdat = prefix.duplicate().position(prefixLength - 16);
    assertThat(mdat.getInt()).isEqualTo(1);
    assertThat(new byte[] {mdat.get(), mdat.get(), mdat.get(), mdat.get()})
        .isEqualTo("mdat".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(mdat.getLong()).isEqualTo(payload + 16);

    byte[] boxes = new byte[prefixLength - 16];
    prefix.get(boxes);
    try (IsoFile iso = Mp4Inspector.parse(boxes)) {
      TrackBox video = iso.getMovieBox().getBoxes(TrackBox.class).get(0);
      assertThat((Object) Path.getPath(video, "mdia/minf/stbl/stco")).isNull();
      ChunkOffset64BitBox co64 = Path.getPath(video, "mdia/minf/stbl/co64");
      long fragmentBytes = (long) FRAME_BYTES * FRAMES_PER_FRAGMENT;
      assertThat(co64.getChunkOffsets()).containsExactly(prefixLength,
          prefixLength + fragmentBytes, prefixLength + 2 * fragmentBytes,
          prefixLength + 3 * fragmentBytes);
      assertThat(co64.getChunkOffsets()[3]).isGreaterThan(0xFFFF_FFFFL);
    }
  }

  @Test
  void build_payloadOver4GiBButChunkOffsetsUnder4GiB_usesStcoAndLargesizeMdat()
      throws Exception {
    // Chunks start at 0, 2000 and 4000 MiB (below 2^32); the payload ends at 6000 MiB.
    ClipLayout layout = ProgressiveMp4Builder.build(source(FRAMES_PER_FRAGMENT, 3));
    ByteBuffer prefix = layout.prefix().duplicate();
    int prefixLength = prefix.remaining();

    assertThat(prefix.getInt(prefixLength - 16)).isEqualTo(1);
    byte[] boxes = new byte[prefixLength - 16];
    prefix.get(boxes);
    try (IsoFile iso = Mp4Inspector.parse(boxes)) {
      TrackBox video = iso.getMovieBox().getBoxes(TrackBox.class).get(0);
      assertThat((Object) Path.getPath(video, "mdia/minf/stbl/stco")).isNotNull();
      assertThat((Object) Path.getPath(video, "mdia/minf/stbl/co64")).isNull();
    }
  }

  @Test
  void build_payloadUnder4GiB_usesStcoAndCompactMdat() throws Exception {
    ClipLayout layout = ProgressiveMp4Builder.build(source(2, FRAGMENTS));
    ByteBuffer prefix = layout.prefix().duplicate();
    int prefixLength = prefix.remaining();

    assertThat(prefix.getInt(prefixLength - 8)).isEqualTo((int) (layout.totalBytes() - prefixLength + 8));
    byte[] boxes = new byte[prefixLength - 8];
    prefix.get(boxes);
    try (IsoFile iso = Mp4Inspector.parse(boxes)) {
      TrackBox video = iso.getMovieBox().getBoxes(TrackBox.class).get(0);
      assertThat((Object) Path.getPath(video, "mdia/minf/stbl/stco")).isNotNull();
    }
  }

  private static ClipSource source(int framesPerFragment, int fragments) {
    MkvHeader header = SyntheticClip.header(
        SyntheticClip.h264(SyntheticClip.VIDEO, "V_MPEG4/ISO/AVC", SyntheticClip.AVC_CPD));
    List<io.framekeep.media.FrameTable> tables = new java.util.ArrayList<>();
    for (int f = 0; f < fragments; f++) {
      io.framekeep.media.FrameTable.Builder table =
          new io.framekeep.media.FrameTable.Builder(SyntheticClip.SCALE_NS, f * 200L);
      for (int i = 0; i < framesPerFragment; i++) {
        table.add((int) SyntheticClip.VIDEO, i == 0, i * 40, i * FRAME_BYTES, FRAME_BYTES, 0);
      }
      tables.add(table.build());
    }
    return new ClipSource(header, tables);
  }
}
