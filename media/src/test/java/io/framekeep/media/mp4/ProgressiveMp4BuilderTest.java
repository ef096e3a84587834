package io.framekeep.media.mp4;

import static io.framekeep.media.mp4.SyntheticClip.AUDIO;
import static io.framekeep.media.mp4.SyntheticClip.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.CompositionTimeToSample;
import org.mp4parser.boxes.iso14496.part12.EditListBox;
import org.mp4parser.boxes.iso14496.part12.FileTypeBox;
import org.mp4parser.boxes.iso14496.part12.HandlerBox;
import org.mp4parser.boxes.iso14496.part12.MediaHeaderBox;
import org.mp4parser.boxes.iso14496.part12.SyncSampleBox;
import org.mp4parser.boxes.iso14496.part12.TimeToSampleBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;
import org.mp4parser.boxes.iso14496.part14.ESDescriptorBox;
import org.mp4parser.boxes.iso14496.part15.AvcConfigurationBox;
import org.mp4parser.boxes.sampleentry.AudioSampleEntry;
import org.mp4parser.boxes.sampleentry.VisualSampleEntry;
import org.mp4parser.tools.Path;

class ProgressiveMp4BuilderTest {

  @Test
  void build_bFrameClip_writesFtypMoovMdatInOrder() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(3);
    ClipLayout layout = ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader()));
    byte[] file = clip.write(layout);

    assertThat(file).hasSize((int) layout.totalBytes());
    try (IsoFile iso = Mp4Inspector.parse(file)) {
      assertThat(iso.getBoxes()).extracting(Box::getType).containsExactly("ftyp", "moov", "mdat");
      FileTypeBox ftyp = (FileTypeBox) iso.getBoxes().get(0);
      assertThat(ftyp.getMajorBrand()).isEqualTo("isom");
      assertThat(ftyp.getCompatibleBrands()).containsExactly("isom", "iso2", "avc1", "mp41");
      assertThat(iso.getMovieBox().getBoxes(TrackBox.class)).hasSize(2);
      assertThat(iso.getBoxes().stream().mapToLong(Box::getSize).sum()).isEqualTo(file.length);
    }
  }

  @Test
  void build_bFrameClip_videoTimingHasCttsAndEditShift() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(3);
    byte[] file = clip.write(ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader())));

    try (IsoFile iso = Mp4Inspector.parse(file)) {
      TrackBox video = Mp4Inspector.track(iso, 0);
      MediaHeaderBox mdhd = Path.getPath(video, "mdia/mdhd");
      assertThat(mdhd.getTimescale()).isEqualTo(90_000);
      assertThat(mdhd.getDuration()).isEqualTo(30 * 3600);
      HandlerBox hdlr = Path.getPath(video, "mdia/hdlr");
      assertThat(hdlr.getHandlerType()).isEqualTo("vide");
      TimeToSampleBox stts = Path.getPath(video, "mdia/minf/stbl/stts");
      assertThat(stts.getEntries()).singleElement().satisfies(e -> {
        assertThat(e.getCount()).isEqualTo(30);
        assertThat(e.getDelta()).isEqualTo(3600);
      });
      CompositionTimeToSample ctts = Path.getPath(video, "mdia/minf/stbl/ctts");
      List<Long> offsets = new ArrayList<>();
      for (CompositionTimeToSample.Entry e : ctts.getEntries()) {
        for (int k = 0; k < e.getCount(); k++) {
          offsets.add((long) e.getOffset());
        }
      }
      // GOP in decode order shows frames 0,3,1,2,6,4,5,9,7,8; decode times 0..9; shift 1 frame.
      List<Long> gop = List.of(3600L, 10800L, 0L, 0L, 10800L, 0L, 0L, 10800L, 0L, 0L);
      List<Long> expected = new ArrayList<>();
      for (int f = 0; f < 3; f++) {
        expected.addAll(gop);
      }
      assertThat(offsets).isEqualTo(expected);
      SyncSampleBox stss = Path.getPath(video, "mdia/minf/stbl/stss");
      assertThat(stss.getSampleNumber()).containsExactly(1, 11, 21);
      assertThat(Mp4Inspector.edits(video)).singleElement().satisfies(e -> {
        assertThat(e.getMediaTime()).isEqualTo(3600);
        assertThat(e.getSegmentDuration()).isEqualTo(1200); // 30 frames of 40 ms, in ms
      });
      // Every presentation time 0..29 frames appears exactly once after the edit shift.
      List<Long> presented = new ArrayList<>();
      for (Mp4Inspector.Sample s : Mp4Inspector.samples(video)) {
        presented.add(s.dts() + s.ctsOffset() - 3600);
      }
      assertThat(presented).containsExactlyInAnyOrderElementsOf(
          java.util.stream.LongStream.range(0, 30).map(k -> k * 3600).boxed().toList());
    }
  }

  @Test
  void build_bFrameClip_audioTrackDescribesAac() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(2);
    byte[] file = clip.write(ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader())));

    try (IsoFile iso = Mp4Inspector.parse(file)) {
      TrackBox audio = Mp4Inspector.track(iso, 1);
      MediaHeaderBox mdhd = Path.getPath(audio, "mdia/mdhd");
      assertThat(mdhd.getTimescale()).isEqualTo(48_000);
      assertThat(mdhd.getDuration()).isEqualTo(clip.audioMarkers.size() * 1024L);
      TimeToSampleBox stts = Path.getPath(audio, "mdia/minf/stbl/stts");
      assertThat(stts.getEntries()).singleElement().satisfies(e -> {
        assertThat(e.getCount()).isEqualTo(clip.audioMarkers.size());
        assertThat(e.getDelta()).isEqualTo(1024);
      });
      assertThat((Object) Path.getPath(audio, "mdia/minf/stbl/stss")).isNull();
      AudioSampleEntry mp4a = Path.getPath(audio, "mdia/minf/stbl/stsd/mp4a");
      assertThat(mp4a.getChannelCount()).isEqualTo(2);
      assertThat(mp4a.getSampleRate()).isEqualTo(48_000);
      ESDescriptorBox esds = Path.getPath(mp4a, "esds");
      assertThat(esds.getEsDescriptor().getDecoderConfigDescriptor().getObjectTypeIndication())
          .isEqualTo(0x40);
      assertThat(esds.getEsDescriptor().getDecoderConfigDescriptor().getAudioSpecificInfo()
          .getSamplingFrequency()).isEqualTo(48_000);
      assertThat(Mp4Inspector.edits(audio)).singleElement()
          .extracting(EditListBox.Entry::getMediaTime).isEqualTo(0L);
    }
  }

  @Test
  void build_bFrameClip_avc1CarriesCpdAndSpsSize() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    byte[] file = clip.write(ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader())));

    try (IsoFile iso = Mp4Inspector.parse(file)) {
      VisualSampleEntry avc1 = Path.getPath(Mp4Inspector.track(iso, 0), "mdia/minf/stbl/stsd/avc1");
      assertThat(avc1.getWidth()).isEqualTo(320);
      assertThat(avc1.getHeight()).isEqualTo(240);
      AvcConfigurationBox avcC = Path.getPath(avc1, "avcC");
      ByteBuffer body = ByteBuffer.allocate((int) avcC.getContentSize());
      avcC.getContent(body);
      assertThat(body.array()).isEqualTo(SyntheticClip.AVC_CPD);
    }
  }

  @Test
  void build_bFrameClip_chunkOffsetsPointAtTheRightFrames() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(3);
    byte[] file = clip.write(ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader())));

    try (IsoFile iso = Mp4Inspector.parse(file)) {
      assertThat(markers(file, Mp4Inspector.samples(Mp4Inspector.track(iso, 0))))
          .isEqualTo(clip.videoMarkers);
      assertThat(markers(file, Mp4Inspector.samples(Mp4Inspector.track(iso, 1))))
          .isEqualTo(clip.audioMarkers);
    }
  }

  @Test
  void build_interleavedTracks_chunksSplitAtTrackChangesAndRunsCoalesce() throws Exception {
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(SyntheticClip.METADATA, true, 0, 10, 0); // skipped: starts a new run after it
    clip.frame(VIDEO, true, 0, 100, 0);
    clip.frame(VIDEO, false, 40, 50, 0);
    clip.frame(AUDIO, true, 0, 20, 0);
    clip.frame(AUDIO, true, 21, 20, 0);
    clip.frame(VIDEO, false, 80, 60, 0);
    clip.startFragment(120);
    clip.frame(VIDEO, true, 0, 70, 0);
    ClipLayout layout = ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader()));

    assertThat(layout.runs()).containsExactly(
        new SampleRun(0, 10, 250), new SampleRun(1, 0, 70));
    byte[] file = clip.write(layout);
    try (IsoFile iso = Mp4Inspector.parse(file)) {
      assertThat(Mp4Inspector.samples(Mp4Inspector.track(iso, 0)))
          .extracting(Mp4Inspector.Sample::fileOffset)
          .containsExactly(prefix(layout), prefix(layout) + 100, prefix(layout) + 190,
              prefix(layout) + 250);
      org.mp4parser.boxes.iso14496.part12.ChunkOffsetBox stco =
          Path.getPath(Mp4Inspector.track(iso, 0), "mdia/minf/stbl/stco");
      assertThat(stco.getChunkOffsets()).hasSize(3); // [I,P] [P] [I of fragment 2]
      assertThat(markers(file, Mp4Inspector.samples(Mp4Inspector.track(iso, 1))))
          .isEqualTo(clip.audioMarkers);
    }
  }

  @Test
  void build_firstFragmentStartsBeforeKeyFrame_dropsLeadingVideoKeepsAudioBehindEditList()
      throws Exception {
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(1000);
    clip.frame(VIDEO, false, 0, 30, 0);
    int earlyAudio = clip.frame(AUDIO, true, 0, 20, 0);
    int key = clip.frame(VIDEO, true, 80, 100, 0);
    int lateAudio = clip.frame(AUDIO, true, 60, 20, 0); // stored after the key but timed before it
    int audio = clip.frame(AUDIO, true, 81, 20, 0);
    int p = clip.frame(VIDEO, false, 120, 40, 0);
    ClipLayout layout = ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader()));
    byte[] file = clip.write(layout);

    try (IsoFile iso = Mp4Inspector.parse(file)) {
      assertThat(markers(file, Mp4Inspector.samples(Mp4Inspector.track(iso, 0))))
          .containsExactly(key, p);
      // The fragment's audio is all there, so consecutive clips lose none of it...
      assertThat(markers(file, Mp4Inspector.samples(Mp4Inspector.track(iso, 1))))
          .containsExactly(earlyAudio, lateAudio, audio);
      // ...and one edit starts its playback 80 ms in, at the video key frame.
      assertThat(Mp4Inspector.edits(Mp4Inspector.track(iso, 1))).hasSize(1);
      assertThat(Mp4Inspector.edits(Mp4Inspector.track(iso, 1)).get(0).getMediaTime())
          .isPositive();
    }
  }

  @Test
  void build_lastFrameDeclaresDuration_lastSttsDeltaUsesIt() throws Exception {
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(VIDEO, true, 20, 100, 0);
    clip.frame(AUDIO, true, 30, 20, 0);
    clip.startFragment(60);
    clip.frame(VIDEO, true, 0, 100, 40);
    ClipLayout layout = ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader()));

    try (IsoFile iso = Mp4Inspector.parse(clip.write(layout))) {
      // last sample duration is the declared 40 ms BlockDuration
      TimeToSampleBox stts = Path.getPath(Mp4Inspector.track(iso, 0), "mdia/minf/stbl/stts");
      assertThat(stts.getEntries()).extracting(TimeToSampleBox.Entry::getDelta)
          .containsExactly(3600L);
      assertThat(stts.getEntries().get(0).getCount()).isEqualTo(2);
    }
  }

  @Test
  void build_videoOnlyStream_hasOneTrack() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    MkvHeader header = SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG/ISO/AVC",
        SyntheticClip.AVC_CPD));
    try (IsoFile iso = Mp4Inspector.parse(clip.write(ProgressiveMp4Builder.build(clip.finish(header))))) {
      assertThat(iso.getMovieBox().getBoxes(TrackBox.class)).hasSize(1);
    }
  }

  @Test
  void build_h265VideoWithGarbageCpd_invalidCodecPrivateData() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEGH/ISO/HEVC", new byte[] {1})),
        MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_vp8Video_unsupported() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_VP8", new byte[0])),
        MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void build_audioOnly_unsupported() {
    assertKind(SyntheticClip.header(SyntheticClip.aac(AUDIO, SyntheticClip.AAC_CPD)),
        MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void build_pcmAcmAudioWithMissingVideoCpd_unsupportedCheckedFirst() {
    byte[] pcmTag = new byte[18];
    pcmTag[0] = 1; // WAVE_FORMAT_PCM
    MkvHeader header = SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC", new byte[0]),
        new io.framekeep.media.mkv.TrackInfo(AUDIO, 2, "A_MS/ACM", pcmTag, 0, 0, 0, 8000, 1, 8));
    assertKind(header, MediaFormatException.Kind.UNSUPPORTED);
  }

  @Test
  void build_missingVideoCpd_missingCodecPrivateData() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC", new byte[0]),
        SyntheticClip.aac(AUDIO, SyntheticClip.AAC_CPD)),
        MediaFormatException.Kind.MISSING_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_missingAudioCpdWithBadVideoCpd_missingCheckedBeforeInvalid() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC", new byte[] {0, 0, 0, 1}),
        SyntheticClip.aac(AUDIO, new byte[0])),
        MediaFormatException.Kind.MISSING_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_annexBVideoCpd_invalidCodecPrivateData() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC",
        new byte[] {0, 0, 0, 1, 0x67, 0x64, 0, 0x0d})),
        MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_garbageAudioCpd_invalidCodecPrivateData() {
    assertKind(SyntheticClip.header(SyntheticClip.h264(VIDEO, "V_MPEG4/ISO/AVC", SyntheticClip.AVC_CPD),
        SyntheticClip.aac(AUDIO, new byte[] {0x16})),
        MediaFormatException.Kind.INVALID_CODEC_PRIVATE_DATA);
  }

  @Test
  void build_noVideoKeyFrame_invalidMediaFrame() {
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(VIDEO, false, 0, 100, 0);
    assertThatThrownBy(() -> ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader())))
        .isInstanceOfSatisfying(MediaFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.INVALID_MEDIA_FRAME));
  }

  @Test
  void build_emptyFrame_invalidMediaFrame() {
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(VIDEO, true, 0, 100, 0);
    clip.tablesAddEmptyFrameForTest();
    assertThatThrownBy(() -> ProgressiveMp4Builder.build(clip.finish(SyntheticClip.standardHeader())))
        .isInstanceOfSatisfying(MediaFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.INVALID_MEDIA_FRAME));
  }

  @Test
  void build_sameClipTwice_identicalBytes() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(2);
    ClipSource source = clip.finish(SyntheticClip.standardHeader());
    assertThat(clip.write(ProgressiveMp4Builder.build(source)))
        .isEqualTo(clip.write(ProgressiveMp4Builder.build(source)));
  }

  private static void assertKind(MkvHeader header, MediaFormatException.Kind kind) {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    assertThatThrownBy(() -> ProgressiveMp4Builder.build(clip.finish(header)))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  private static long prefix(ClipLayout layout) {
    return layout.prefix().remaining();
  }

  private static List<Integer> markers(byte[] file, List<Mp4Inspector.Sample> samples) {
    List<Integer> out = new ArrayList<>();
    for (Mp4Inspector.Sample s : samples) {
      out.add(ByteBuffer.wrap(file, (int) s.fileOffset(), 4).getInt());
    }
    return out;
  }
}
