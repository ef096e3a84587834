package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.fmp4.FragmentedMp4Writer;
import io.framekeep.media.fmp4.MediaSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Box structure of the fragmented-MP4 writer ({@code io.framekeep.media.fmp4}) on the synthetic
 * B-frame clip: init segment boxes, moof/traf/trun fields, data offsets that point at the right
 * frames, signed composition offsets, and track selection. Lives beside {@link SyntheticClip},
 * whose frames carry unique markers.
 */
class FragmentedMp4WriterTest {
  private static final Set<String> CONTAINERS =
      Set.of("moov", "trak", "mdia", "minf", "stbl", "mvex", "moof", "traf", "dinf");
  private static final long FRAME_TICKS = SyntheticClip.FRAME_MS * 90L;

  /** Box path (e.g. {@code moof/traf/trun}) to the body of every box there, in file order. */
  private static Map<String, List<ByteBuffer>> boxes(ByteBuffer file) {
    Map<String, List<ByteBuffer>> out = new LinkedHashMap<>();
    walk(file.duplicate(), "", out);
    return out;
  }

  private static void walk(ByteBuffer in, String parent, Map<String, List<ByteBuffer>> out) {
    while (in.remaining() >= 8) {
      int start = in.position();
      int size = in.getInt();
      byte[] type = new byte[4];
      in.get(type);
      String path = parent + new String(type, StandardCharsets.ISO_8859_1);
      assertThat(size).as("size of %s", path).isBetween(8, in.limit() - start);
      ByteBuffer body = in.duplicate().position(start + 8).limit(start + size).slice();
      out.computeIfAbsent(path, k -> new ArrayList<>()).add(body);
      if (CONTAINERS.contains(path.substring(path.length() - 4))) {
        walk(body.duplicate(), path + "/", out);
      }
      in.position(start + size);
    }
    assertThat(in.remaining()).as("bytes after the last box in %s", parent).isZero();
  }

  private static PlaybackTracks standardTracks() throws MediaFormatException {
    return PlaybackTracks.of(SyntheticClip.standardHeader());
  }

  /** The segment's bytes: prefix, then each run's bytes from the synthetic payload. */
  private static ByteBuffer bytes(MediaSegment segment, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer prefix = segment.prefix().duplicate();
    byte[] head = new byte[prefix.remaining()];
    prefix.get(head);
    out.writeBytes(head);
    for (SampleRun run : segment.runs()) {
      out.write(payload, (int) run.offsetInFragment(), (int) run.lengthBytes());
    }
    assertThat(out.size()).isEqualTo(segment.totalBytes());
    return ByteBuffer.wrap(out.toByteArray());
  }

  /**
   * Compares a text dump of the init segment and both media segments of the two-GOP B-frame clip
   * (box tree with sizes, tfdt, every trun entry with the md5 of the bytes it points at) with a
   * committed golden file. After an intended change, regenerate with {@code mvn -pl media test
   * -Dtest=FragmentedMp4WriterTest -Dgolden.update=true} and review the diff.
   */
  @Test
  void segments_twoBFrameGopsWithAudio_matchGoldenDump() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(2);
    clip.finish(SyntheticClip.standardHeader());
    PlaybackTracks tracks = standardTracks();
    StringBuilder dump = new StringBuilder("init\n");
    dump(FragmentedMp4Writer.initSegment(tracks), 0, dump);
    for (int f = 0; f < clip.tables.size(); f++) {
      long startNs = clip.tables.get(f).clusterTimecodeTicks() * SyntheticClip.SCALE_NS;
      dump.append("segment ").append(f + 1).append('\n');
      ByteBuffer file = bytes(FragmentedMp4Writer.mediaSegment(tracks, clip.tables.get(f), f + 1,
          startNs), clip.payloads.get(f));
      dump(file, 0, dump);
    }

    ProgressiveMp4GoldenTest.assertGolden("fmp4-bframe-gops-aac.golden.txt", dump.toString());
  }

  /** Box tree of {@code file} (a whole segment), with tfdt and trun contents spelled out. */
  private static void dump(ByteBuffer file, int depth, StringBuilder out) {
    dumpBoxes(file, 0, file.limit(), depth, -1, out);
  }

  private static void dumpBoxes(ByteBuffer file, int from, int to, int depth, int moofStart,
      StringBuilder out) {
    int at = from;
    while (at < to) {
      int size = file.getInt(at);
      String type = new String(new byte[] {file.get(at + 4), file.get(at + 5), file.get(at + 6),
          file.get(at + 7)}, StandardCharsets.ISO_8859_1);
      out.append("  ".repeat(depth)).append(type).append(' ').append(size);
      if (type.equals("tfdt")) {
        out.append(" base=").append(file.getLong(at + 12));
      }
      out.append('\n');
      if (type.equals("trun")) {
        dumpTrun(file, at, moofStart, depth + 1, out);
      }
      if (CONTAINERS.contains(type)) {
        dumpBoxes(file, at + 8, at + size, depth + 1, type.equals("moof") ? at : moofStart, out);
      }
      at += size;
    }
  }

  private static void dumpTrun(ByteBuffer file, int at, int moofStart, int depth,
      StringBuilder out) {
    int flags = file.getInt(at + 8) & 0xFFFFFF;
    int count = file.getInt(at + 12);
    int sample = moofStart + file.getInt(at + 16);
    int entry = at + 20;
    out.append("  ".repeat(depth)).append("#  duration  size  flags  cts  md5\n");
    for (int k = 0; k < count; k++) {
      int duration = file.getInt(entry);
      int size = file.getInt(entry + 4);
      entry += 8;
      String sampleFlags = "-";
      if ((flags & 0x400) != 0) {
        sampleFlags = Integer.toHexString(file.getInt(entry));
        entry += 4;
      }
      String cts = "-";
      if ((flags & 0x800) != 0) {
        cts = String.valueOf(file.getInt(entry));
        entry += 4;
      }
      out.append("  ".repeat(depth)).append(String.format("%d %d %d %s %s %s%n", k + 1, duration,
          size, sampleFlags, cts, Mp4Inspector.md5(file.array(), sample, size)));
      sample += size;
    }
  }

  @Test
  void initSegment_videoAndAudio_ftypMoovWithTwoTraksAndTrex() throws Exception {
    Map<String, List<ByteBuffer>> init = boxes(FragmentedMp4Writer.initSegment(standardTracks()));

    assertThat(init.keySet()).startsWith("ftyp", "moov").contains("moov/mvhd",
        "moov/trak/mdia/minf/stbl/stsd", "moov/mvex/trex");
    assertThat(init.get("moov/trak")).hasSize(2);
    assertThat(init.get("moov/mvex/trex")).hasSize(2);
    assertThat(init.get("moov/trak/mdia/minf/stbl/stsz")).allSatisfy(stsz ->
        assertThat(stsz.getInt(8)).as("sample_count").isZero());
    assertThat(init.get("moov/trak/mdia/mdhd")).extracting(b -> b.getInt(12))
        .as("timescales").containsExactly(90_000, 48_000);
  }

  @Test
  void initSegment_audioSelection_oneSoundTrack() throws Exception {
    Map<String, List<ByteBuffer>> init = boxes(FragmentedMp4Writer.initSegment(standardTracks(),
        FragmentedMp4Writer.Selection.AUDIO));

    assertThat(init.get("moov/trak")).hasSize(1);
    assertThat(init.get("moov/trak/mdia/hdlr").get(0).getInt(8))
        .isEqualTo(ByteBuffer.wrap("soun".getBytes(StandardCharsets.US_ASCII)).getInt());
  }

  @Test
  void mediaSegment_bFrameFragment_trunCarriesSignedCtsAndOffsetsPointAtFrames() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(2);
    clip.finish(SyntheticClip.standardHeader());
    long startNs = 400 * SyntheticClip.SCALE_NS;
    MediaSegment segment = FragmentedMp4Writer.mediaSegment(standardTracks(), clip.tables.get(1),
        2, startNs);
    ByteBuffer file = bytes(segment, clip.payloads.get(1));
    Map<String, List<ByteBuffer>> boxes = boxes(file);

    assertThat(boxes.keySet()).startsWith("moof", "moof/mfhd").contains("mdat");
    assertThat(boxes.get("moof/mfhd").get(0).getInt(4)).as("sequence_number").isEqualTo(2);
    assertThat(boxes.get("moof/traf")).hasSize(2);
    ByteBuffer tfdt = boxes.get("moof/traf/tfdt").get(0);
    assertThat(tfdt.get(0)).as("tfdt version").isEqualTo((byte) 1);
    assertThat(tfdt.getLong(4)).as("video baseMediaDecodeTime").isEqualTo(400 * 90L);
    ByteBuffer trun = boxes.get("moof/traf/trun").get(0);
    assertThat(trun.get(0)).as("trun version").isEqualTo((byte) 1);
    int count = trun.getInt(4);
    int dataOffset = trun.getInt(8);
    assertThat(count).isEqualTo(SyntheticClip.B_FRAME_GOP.length);
    long[] cts = new long[count];
    int at = dataOffset;
    List<Integer> markers = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int entry = 12 + 16 * k;
      assertThat(trun.getInt(entry)).as("duration of sample %d", k).isEqualTo((int) FRAME_TICKS);
      int size = trun.getInt(entry + 4);
      cts[k] = trun.getInt(entry + 12);
      markers.add(file.getInt(at));
      at += size;
      assertThat(trun.getInt(entry + 8) == 0x02000000).as("sync flag of %d", k).isEqualTo(k == 0);
    }
    // Decode order 0,3,1,2: pts - sorted pts = 0, +2, -1, -1 frames.
    assertThat(cts).startsWith(0, 2 * FRAME_TICKS, -FRAME_TICKS, -FRAME_TICKS);
    int firstVideoMarker = SyntheticClip.B_FRAME_GOP.length;
    assertThat(markers).containsExactlyElementsOf(
        clip.videoMarkers.subList(firstVideoMarker, 2 * firstVideoMarker));
    ByteBuffer audioTrun = boxes.get("moof/traf/trun").get(1);
    assertThat(file.getInt(audioTrun.getInt(8))).as("first audio sample marker")
        .isEqualTo(firstAudioMarkerOf(clip, 1));
  }

  private static int firstAudioMarkerOf(SyntheticClip clip, int fragment) {
    FrameTable t = clip.tables.get(fragment);
    for (int i = 0; i < t.size(); i++) {
      if (t.trackNumber(i) == SyntheticClip.AUDIO) {
        return ByteBuffer.wrap(clip.payloads.get(fragment), t.offset(i), 4).getInt();
      }
    }
    throw new AssertionError("no audio");
  }

  /**
   * Leading bytes for the first video sample (in-band parameter sets) sit right after the mdat
   * header, count in that sample's size and the mdat size, and every offset still points at its
   * frame: the first sample's data starts with them, followed by its own marker.
   */
  @Test
  void mediaSegment_firstVideoSamplePrefix_partOfTheKeyFrameSampleAndOffsetsShift()
      throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    clip.finish(SyntheticClip.standardHeader());
    byte[] lead = {0, 0, 0, 3, 0x67, 1, 2, 0, 0, 0, 2, 0x68, 3};
    MediaSegment plain = FragmentedMp4Writer.mediaSegment(standardTracks(), clip.tables.get(0),
        1, 0);
    MediaSegment led = FragmentedMp4Writer.mediaSegment(standardTracks(), clip.tables.get(0),
        1, 0, FragmentedMp4Writer.Selection.ALL, lead);
    ByteBuffer file = bytes(led, clip.payloads.get(0));
    Map<String, List<ByteBuffer>> boxes = boxes(file);
    Map<String, List<ByteBuffer>> plainBoxes = boxes(bytes(plain, clip.payloads.get(0)));

    assertThat(led.totalBytes()).isEqualTo(plain.totalBytes() + lead.length);
    ByteBuffer trun = boxes.get("moof/traf/trun").get(0);
    ByteBuffer plainTrun = plainBoxes.get("moof/traf/trun").get(0);
    int dataOffset = trun.getInt(8);
    assertThat(trun.getInt(12 + 4)).as("first sample size")
        .isEqualTo(plainTrun.getInt(12 + 4) + lead.length);
    byte[] atStart = new byte[lead.length];
    file.duplicate().position(dataOffset).get(atStart);
    assertThat(atStart).isEqualTo(lead);
    assertThat(file.getInt(dataOffset + lead.length)).as("the key frame's own marker")
        .isEqualTo(clip.videoMarkers.get(0));
    ByteBuffer audioTrun = boxes.get("moof/traf/trun").get(1);
    assertThat(file.getInt(audioTrun.getInt(8))).as("first audio sample marker")
        .isEqualTo(firstAudioMarkerOf(clip, 0));
  }

  @Test
  void mediaSegment_videoSelection_oneTrafAndOnlyVideoBytes() throws Exception {
    SyntheticClip clip = SyntheticClip.bFrameClip(1);
    clip.finish(SyntheticClip.standardHeader());
    MediaSegment segment = FragmentedMp4Writer.mediaSegment(standardTracks(), clip.tables.get(0),
        1, 0, FragmentedMp4Writer.Selection.VIDEO);
    Map<String, List<ByteBuffer>> boxes = boxes(bytes(segment, clip.payloads.get(0)));

    assertThat(boxes.get("moof/traf")).hasSize(1);
    long videoBytes = 900;
    for (int j = 1; j < SyntheticClip.B_FRAME_GOP.length; j++) {
      videoBytes += 100 + 10 * j;
    }
    assertThat(boxes.get("mdat").get(0).remaining()).isEqualTo(videoBytes);
  }

  @Test
  void mediaSegment_fragmentWithoutVideo_invalidMediaFrame() throws Exception {
    SyntheticClip clip = new SyntheticClip();
    clip.startFragment(0);
    clip.frame(SyntheticClip.AUDIO, true, 0, 40, 0);
    clip.finish(SyntheticClip.standardHeader());

    assertThatThrownBy(() -> FragmentedMp4Writer.mediaSegment(standardTracks(),
        clip.tables.get(0), 1, 0))
        .isInstanceOfSatisfying(MediaFormatException.class, e ->
            assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.INVALID_MEDIA_FRAME));
  }
}
