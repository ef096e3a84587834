package io.framekeep.media.mkv;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Parses the ffmpeg-made fixtures (see fixtures/README.md) and checks the result against the
 * ffprobe packet lists recorded beside them and against the files' own bytes.
 */
class MkvIngestParserFixtureTest {
  private static final Set<Integer> SKIPPED_LEVEL1_IDS = Set.of(MatroskaIds.ID_CUES,
      MatroskaIds.ID_TAGS, MatroskaIds.ID_SEEK_HEAD, MatroskaIds.ID_VOID, MatroskaIds.ID_CHAPTERS);

  /** One line of the ffprobe oracle: stream_index,pts,size,pos,flags. */
  record Packet(int trackNumber, long ptsTicks, int size, long pos, boolean key) {}

  @ParameterizedTest
  @ValueSource(strings = {"avc_aac_3s", "avc_aac_live_3s", "avc_video_only_2s"})
  void parse_ffmpegFixture_framesMatchFfprobePackets(String name) throws Exception {
    byte[] file = resource(name + ".mkv");
    ParseRun run = ParseRun.parseAllWays(file, IngestLimits.kvsDefaults());
    List<Packet> packets = oracle(name);

    List<Packet> frames = new ArrayList<>();
    long clusterFileOffset = run.header.rawBytes().length;
    long[] fragmentFileOffsets = locateFragments(file, run);
    for (int f = 0; f < run.fragments.size(); f++) {
      FrameTable t = run.fragments.get(f).frames();
      for (int i = 0; i < t.size(); i++) {
        // ffprobe's pos is the first byte of the block payload: 4 bytes before the frame data.
        frames.add(new Packet(t.trackNumber(i), t.timeTicks(i), t.frameSize(i),
            fragmentFileOffsets[f] + t.offset(i) - 4, t.isKeyFrame(i)));
      }
    }
    assertThat(clusterFileOffset).isPositive();
    assertThat(frames).containsExactlyElementsOf(packets);
  }

  @ParameterizedTest
  @ValueSource(strings = {"avc_aac_3s", "avc_aac_live_3s", "avc_video_only_2s"})
  void parse_ffmpegFixture_headerFragmentsAndSkippedElementsRebuildTheFile(String name)
      throws Exception {
    byte[] file = resource(name + ".mkv");
    ParseRun run = ParseRun.parseAllWays(file, IngestLimits.kvsDefaults());
    assertThat(run.headerCalls).isEqualTo(1);
    assertThat(run.fragments).hasSizeGreaterThanOrEqualTo(3);
    locateFragments(file, run);
    for (ParseRun.Fragment f : run.fragments) {
      FrameTable t = f.frames();
      int firstVideo = firstFrameOfTrack(t, 1);
      assertThat(firstVideo).isNotNegative();
      if (!name.equals("avc_video_only_2s")) {
        // Made with one cluster per GOP; the video-only fixture uses ffmpeg's own live cuts.
        assertThat(t.isKeyFrame(firstVideo)).isTrue();
      }
      assertThat(t.timecodeScaleNs()).isEqualTo(1_000_000L);
    }
  }

  @Test
  void parse_avcAacFixture_headerHoldsTracksAndCodecPrivate() throws Exception {
    ParseRun run = ParseRun.parseAllWays(resource("avc_aac_3s.mkv"), IngestLimits.kvsDefaults());
    MkvHeader header = run.header;
    assertThat(header.timecodeScaleNs()).isEqualTo(1_000_000L);
    assertThat(header.tracks()).hasSize(2);
    TrackInfo video = header.track(1);
    assertThat(video.codecId()).isEqualTo("V_MPEG4/ISO/AVC");
    assertThat(video.isVideo()).isTrue();
    assertThat(video.pixelWidth()).isEqualTo(320);
    assertThat(video.pixelHeight()).isEqualTo(240);
    assertThat(video.codecPrivate()).hasSize(44);
    assertThat(video.codecPrivate()[0]).isEqualTo((byte) 1);
    TrackInfo audio = header.track(2);
    assertThat(audio.codecId()).isEqualTo("A_AAC");
    assertThat(audio.isAudio()).isTrue();
    assertThat(audio.samplingFrequencyHz()).isEqualTo(48000.0);
    assertThat(audio.channels()).isEqualTo(1);
    assertThat(audio.bitDepth()).isEqualTo(32);
    assertThat(audio.codecPrivate()).hasSize(5);
  }

  @Test
  void parse_liveFixtureRewrittenWithUnknownSizeClusters_sameFramesAndBytes() throws Exception {
    byte[] known = resource("avc_aac_live_3s.mkv");
    byte[] unknown = withUnknownSizeClusters(known);
    assertThat(unknown.length).isGreaterThan(known.length);
    ParseRun knownRun = ParseRun.parseAllWays(known, IngestLimits.kvsDefaults());
    ParseRun unknownRun = ParseRun.parseAllWays(unknown, IngestLimits.kvsDefaults());

    assertThat(unknownRun.header.rawBytes()).isEqualTo(knownRun.header.rawBytes());
    assertThat(unknownRun.fragments).hasSameSizeAs(knownRun.fragments);
    for (int f = 0; f < knownRun.fragments.size(); f++) {
      ParseRun.Fragment a = knownRun.fragments.get(f);
      ParseRun.Fragment b = unknownRun.fragments.get(f);
      assertThat(b.timecodeTicks()).isEqualTo(a.timecodeTicks());
      assertThat(b.frames().size()).isEqualTo(a.frames().size());
      for (int i = 0; i < a.frames().size(); i++) {
        assertThat(b.frames().timeTicks(i)).isEqualTo(a.frames().timeTicks(i));
        assertThat(b.frames().trackNumber(i)).isEqualTo(a.frames().trackNumber(i));
        assertThat(frameBytes(b, i)).isEqualTo(frameBytes(a, i));
      }
    }
    locateFragments(unknown, unknownRun);
  }

  @Test
  void parseHeader_storedHeaderOfFixture_roundTrips() throws Exception {
    for (String name : List.of("avc_aac_3s", "avc_aac_live_3s", "avc_video_only_2s")) {
      ParseRun run = ParseRun.parseAllWays(resource(name + ".mkv"), IngestLimits.kvsDefaults());
      MkvHeader parsed = MkvIngestParser.parseHeader(run.header.rawBytes());
      assertThat(parsed.rawBytes()).isEqualTo(run.header.rawBytes());
      assertThat(parsed.timecodeScaleNs()).isEqualTo(run.header.timecodeScaleNs());
      assertThat(describe(parsed)).isEqualTo(describe(run.header));
    }
  }

  @Test
  void parseHeader_bytesIncludingACluster_isMalformed() throws Exception {
    byte[] file = resource("avc_video_only_2s.mkv");
    ParseRun run = ParseRun.parseAllWays(file, IngestLimits.kvsDefaults());
    byte[] tooMuch = Arrays.copyOf(file, run.header.rawBytes().length + 100);
    byte[] cut = Arrays.copyOf(file, run.header.rawBytes().length - 5);
    for (byte[] bad : List.of(tooMuch, cut)) {
      try {
        MkvIngestParser.parseHeader(bad);
        throw new AssertionError("expected a malformed header");
      } catch (MediaFormatException e) {
        assertThat(e.ackErrorId()).isEqualTo(4006);
      }
    }
  }

  static String describe(MkvHeader header) {
    StringBuilder sb = new StringBuilder();
    for (TrackInfo t : header.tracks()) {
      sb.append(t.trackNumber()).append(' ').append(t.trackType()).append(' ').append(t.codecId())
          .append(' ').append(Arrays.toString(t.codecPrivate())).append(' ')
          .append(t.defaultDurationNs()).append(' ').append(t.pixelWidth()).append('x')
          .append(t.pixelHeight()).append(' ').append(t.samplingFrequencyHz()).append(' ')
          .append(t.channels()).append(' ').append(t.bitDepth()).append('\n');
    }
    return sb.toString();
  }

  private static byte[] frameBytes(ParseRun.Fragment f, int i) {
    int offset = f.frames().offset(i);
    return Arrays.copyOfRange(f.bytes(), offset, offset + f.frames().frameSize(i));
  }

  private static int firstFrameOfTrack(FrameTable t, int track) {
    for (int i = 0; i < t.size(); i++) {
      if (t.trackNumber(i) == track) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Checks that the file is the header, then the fragments in order with only skippable level-1
   * elements between and after them, and returns each fragment's file offset.
   */
  static long[] locateFragments(byte[] file, ParseRun run) {
    byte[] header = run.header.rawBytes();
    assertThat(Arrays.copyOf(file, header.length)).isEqualTo(header);
    long[] offsets = new long[run.fragments.size()];
    int pos = header.length;
    int next = 0;
    while (pos < file.length) {
      if (next < offsets.length && startsWith(file, pos, run.fragments.get(next).bytes())) {
        offsets[next] = pos;
        pos += run.fragments.get(next).bytes().length;
        next++;
        continue;
      }
      int[] element = readElementHeader(file, pos);
      assertThat(SKIPPED_LEVEL1_IDS).as("element at offset %d", pos).contains(element[0]);
      pos += element[1] + element[2];
    }
    assertThat(next).isEqualTo(offsets.length);
    assertThat(pos).isEqualTo(file.length);
    return offsets;
  }

  private static boolean startsWith(byte[] file, int pos, byte[] part) {
    return pos + part.length <= file.length
        && Arrays.equals(file, pos, pos + part.length, part, 0, part.length);
  }

  /** Reads an element header: {id, header length, data size}. Independent of the code under test. */
  static int[] readElementHeader(byte[] b, int pos) {
    int idLength = Integer.numberOfLeadingZeros(b[pos] & 0xFF) - 23;
    int id = 0;
    for (int i = 0; i < idLength; i++) {
      id = (id << 8) | (b[pos + i] & 0xFF);
    }
    int sizeStart = pos + idLength;
    int sizeLength = Integer.numberOfLeadingZeros(b[sizeStart] & 0xFF) - 23;
    long size = b[sizeStart] & (0xFF >> sizeLength);
    for (int i = 1; i < sizeLength; i++) {
      size = (size << 8) | (b[sizeStart + i] & 0xFF);
    }
    return new int[] {id, idLength + sizeLength, (int) size};
  }

  /** Rewrites every Cluster of an unknown-size-Segment file to the 8-byte unknown size. */
  static byte[] withUnknownSizeClusters(byte[] file) {
    int[] ebml = readElementHeader(file, 0);
    int pos = ebml[1] + ebml[2];
    int[] segment = readElementHeader(file, pos);
    assertThat(segment[0]).isEqualTo(MatroskaIds.ID_SEGMENT);
    pos += segment[1];
    byte[] out = Arrays.copyOf(file, pos);
    while (pos < file.length) {
      int[] e = readElementHeader(file, pos);
      byte[] payload = Arrays.copyOfRange(file, pos + e[1], pos + e[1] + e[2]);
      byte[] rewritten = e[0] == MatroskaIds.ID_CLUSTER
          ? MkvBuilder.unknownSize(MatroskaIds.ID_CLUSTER, payload)
          : Arrays.copyOfRange(file, pos, pos + e[1] + e[2]);
      out = MkvBuilder.concat(out, rewritten);
      pos += e[1] + e[2];
    }
    return out;
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = MkvIngestParserFixtureTest.class.getResourceAsStream("/fixtures/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static List<Packet> oracle(String name) throws IOException {
    List<Packet> packets = new ArrayList<>();
    for (String line : new String(resource(name + ".packets.csv"), StandardCharsets.US_ASCII)
        .split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      packets.add(new Packet(Integer.parseInt(f[0]) + 1, Long.parseLong(f[1]),
          Integer.parseInt(f[2]), Long.parseLong(f[3]), f[4].startsWith("K")));
    }
    return packets;
  }
}
