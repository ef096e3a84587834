package io.framekeep.media.mp4;

import static io.framekeep.media.mp4.SyntheticClip.AUDIO;
import static io.framekeep.media.mp4.SyntheticClip.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.SampleDescriptionBox;
import org.mp4parser.boxes.iso14496.part12.TimeToSampleBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;

/** Track combinations of KVS spec §4.5 for GetClip, on synthetic clips. */
class ClipCodecCombinationTest {
  /** hvcC of a 320x240 Main stream (HevcDecoderConfigTest.MAIN_320x240, which gives the command). */
  private static final byte[] HVCC = HexFormat.of().parseHex("0101600000009000000000003cf000fc"
      + "fdf8f800000f03200001001840010c01ffff01600000030090000003000003003c959809210001002a4201"
      + "010160000003 0090000003000003003ca00a080f165959a4932bc05a020000030002000003003c102200"
      .replace(" ", "") + "0100074401c172b46240");
  /** 8 kHz mono A-law WAVEFORMATEX, as ffmpeg writes it (see WaveFormatExTest). */
  private static final byte[] ALAW = HexFormat.of().parseHex("06000100401f0000401f000001000800"
      + "0000");

  static TrackInfo hevc(byte[] cpd) {
    return new TrackInfo(VIDEO, TrackInfo.TYPE_VIDEO, "V_MPEGH/ISO/HEVC", cpd, 40_000_000L, 640,
        480, 0, 0, 0);
  }

  static TrackInfo acm(byte[] cpd) {
    return new TrackInfo(AUDIO, TrackInfo.TYPE_AUDIO, "A_MS/ACM", cpd, 0, 0, 0, 8000, 1, 8);
  }

  static byte[] mulaw() {
    byte[] cpd = ALAW.clone();
    cpd[0] = 7;
    return cpd;
  }

  @Test
  void build_hevcVideoOnly_hvc1EntryWithHvccAndSpsSize() throws Exception {
    try (IsoFile iso = write(SyntheticClip.header(hevc(HVCC)))) {
      SampleDescriptionBox stsd = Mp4Inspector.track(iso, 0).getSampleTableBox().getSampleDescriptionBox();
      assertThat(stsd.getBoxes().get(0).getType()).isEqualTo("hvc1");
      assertThat(Mp4Inspector.track(iso, 0).getTrackHeaderBox().getWidth()).isEqualTo(320.0);
    }
  }

  @Test
  void build_hevcWithAac_twoTracks() throws Exception {
    try (IsoFile iso = write(SyntheticClip.header(hevc(HVCC),
        SyntheticClip.aac(AUDIO, SyntheticClip.AAC_CPD)))) {
      assertThat(iso.getMovieBox().getBoxes(TrackBox.class)).hasSize(2);
    }
  }

  @Test
  void build_hevcWithAlaw_unsupported() {
    assertKind(SyntheticClip.header(hevc(HVCC), acm(ALAW)), MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void build_hevcWithMulaw_unsupported() {
    assertKind(SyntheticClip.header(hevc(HVCC), acm(mulaw())), MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void build_h264WithAlaw_alawEntryAndDurationsFromBlockBytes() throws Exception {
    assertG711Entry(ALAW, "alaw");
  }

  @Test
  void build_h264WithMulaw_ulawEntry() throws Exception {
    assertG711Entry(mulaw(), "ulaw");
  }

  /**
   * kvssink's A-law codec private data declares wBitsPerSample 0 and nAvgBytesPerSec 1000; the
   * sample entry still says 1 channel, 16-bit decompressed sample size (QuickTime convention for
   * {@code alaw}, as ffmpeg's mov muxer writes it) and 8000 Hz, and timing follows the rate.
   */
  @Test
  void build_h264WithKvssinkAlaw_alawEntryMono16BitSampleSize8k() throws Exception {
    byte[] kvssink = HexFormat.of().parseHex("06000100401f0000e8030000010000000000");
    assertG711Entry(kvssink, "alaw");

    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(VIDEO, true, 0, 500, 0);
    clip.frame(AUDIO, true, 0, 320, 0);
    MkvHeader header = SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC",
        SyntheticClip.AVC_CPD), acm(kvssink));
    byte[] mp4 = clip.write(ProgressiveMp4Builder.build(clip.finish(header)));
    ByteBuffer entry = ByteBuffer.wrap(mp4, indexOf(mp4, "alaw") + 4, 28);
    entry.position(entry.position() + 6 + 2 + 2 + 2 + 4); // reserved, index, version, rev, vendor
    assertThat(entry.getShort()).as("number_of_channels").isEqualTo((short) 1);
    assertThat(entry.getShort()).as("sample_size").isEqualTo((short) 16);
    assertThat(entry.getShort()).as("compression_ID").isZero();
    assertThat(entry.getShort()).as("packet_size").isZero();
    assertThat(entry.getInt()).as("sample_rate 16.16").isEqualTo(8000 << 16);
  }

  private static int indexOf(byte[] haystack, String fourCc) {
    byte[] needle = fourCc.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(fourCc + " not found");
  }

  @Test
  void build_h264WithPcmAcm_unsupported() {
    byte[] pcm = ALAW.clone();
    pcm[0] = 1;
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC",
        SyntheticClip.AVC_CPD), acm(pcm)), MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void build_h264WithEmptyAcmCpd_missingCodecPrivateData() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC",
        SyntheticClip.AVC_CPD), acm(new byte[0])), MediaFormatException.Kind.MISSING_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_h264WithTruncatedAcmCpd_invalidCodecPrivateData() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC",
        SyntheticClip.AVC_CPD), acm(new byte[] {6, 0, 1})),
        MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_alawOnly_unsupported() {
    assertKind(SyntheticClip.header(acm(ALAW)), MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void build_hevcWithAnnexBCpd_invalidCodecPrivateData() {
    assertKind(SyntheticClip.header(hevc(new byte[] {0, 0, 0, 1, 0x40, 1, 0x0c, 1})),
        MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_stereoAlawBlockWithOddBytes_invalidMediaFrame() {
    byte[] stereo = ALAW.clone();
    stereo[2] = 2;
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(VIDEO, true, 0, 500, 0);
    clip.frame(AUDIO, true, 0, 101, 0);
    MkvHeader header = SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC",
        SyntheticClip.AVC_CPD), acm(stereo));

    assertThatThrownBy(() -> ProgressiveMp4Builder.build(clip.finish(header)))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind())
            .isEqualTo(MediaFormatException.Kind.INVALID_MEDIA_FRAME));
  }

  private static void assertG711Entry(byte[] cpd, String type) throws Exception {
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(VIDEO, true, 0, 500, 0);
    clip.frame(AUDIO, true, 0, 320, 0); // 40 ms at 8 kHz mono
    clip.frame(VIDEO, false, 40, 100, 0);
    clip.frame(AUDIO, true, 40, 160, 0); // 20 ms
    MkvHeader header = SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC",
        SyntheticClip.AVC_CPD), acm(cpd));
    try (IsoFile iso = Mp4Inspector.parse(clip.write(ProgressiveMp4Builder.build(clip.finish(header))))) {
      var audio = Mp4Inspector.track(iso, 1);
      assertThat(audio.getSampleTableBox().getSampleDescriptionBox().getBoxes().get(0).getType())
          .isEqualTo(type);
      assertThat(audio.getMediaBox().getMediaHeaderBox().getTimescale()).isEqualTo(8000);
      List<TimeToSampleBox.Entry> stts = audio.getSampleTableBox().getTimeToSampleBox().getEntries();
      assertThat(stts).extracting(TimeToSampleBox.Entry::getDelta).containsExactly(320L, 160L);
      assertThat(audio.getSampleTableBox().getSampleSizeBox().getSampleSizeAtIndex(1)).isEqualTo(160);
    }
  }

  private static IsoFile write(MkvHeader header) throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    return Mp4Inspector.parse(clip.write(ProgressiveMp4Builder.build(clip.finish(header))));
  }

  private static void assertKind(MkvHeader header, MediaFormatException.Kind kind) {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    assertThatThrownBy(() -> ProgressiveMp4Builder.build(clip.finish(header)))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
