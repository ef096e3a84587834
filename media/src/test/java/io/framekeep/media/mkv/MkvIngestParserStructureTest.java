package io.framekeep.media.mkv;

import static io.framekeep.media.mkv.MatroskaIds.*;
import static io.framekeep.media.mkv.MkvBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.FrameTable;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Synthetic bodies for the structures ffmpeg does not write: lacing, BlockGroups, unknown sizes. */
class MkvIngestParserStructureTest {
  private static final IngestLimits LIMITS = IngestLimits.kvsDefaults();

  @Test
  void parse_unknownSizeClustersEndedByClusterTagsAndFinish_threeFragments() throws Exception {
    byte[] c1 = unknownCluster(0, simpleBlock(1, 0, true, frame(10, 1)), simpleBlock(2, 5, true, frame(4, 2)));
    byte[] c2 = unknownCluster(1000, simpleBlock(1, 0, true, frame(7, 3)));
    byte[] tags = element(ID_TAGS, frame(9, 0x55));
    byte[] c3 = unknownCluster(2000, simpleBlock(1, 3, false, frame(5, 4)));
    ParseRun run = ParseRun.parseAllWays(body(c1, c2, tags, c3), LIMITS);

    assertThat(run.header.rawBytes()).isEqualTo(header());
    assertThat(run.fragments).hasSize(3);
    assertThat(run.fragments.get(0).bytes()).isEqualTo(c1);
    assertThat(run.fragments.get(1).bytes()).isEqualTo(c2);
    assertThat(run.fragments.get(2).bytes()).isEqualTo(c3);
    FrameTable first = run.fragments.get(0).frames();
    // Cluster ID 4 + unknown size 8 + Timecode 3 + SimpleBlock header 2 + block header 4 = 21.
    assertThat(ParseRun.frameLines(first)).isEqualTo(
        "  track=1 key=true rel=0 offset=21 size=10 dur=0\n"
            + "  track=2 key=true rel=5 offset=" + (c1.length - 4) + " size=4 dur=0\n");
    assertFrameBytes(run.fragments.get(0), 0, frame(10, 1));
    assertFrameBytes(run.fragments.get(0), 1, frame(4, 2));
    assertThat(run.fragments.get(2).frames().isKeyFrame(0)).isFalse();
    assertThat(run.fragments.get(2).frames().timeTicks(0)).isEqualTo(2003);
  }

  @Test
  void parse_knownSizeSegmentAndCluster_fragmentEndsAtDeclaredSize() throws Exception {
    byte[] c1 = cluster(40, simpleBlock(2, -40, true, frame(3, 9)));
    byte[] segmentPayload = concat(info(1_000_000), twoTracks(), c1, element(ID_CUES, frame(4, 0)));
    byte[] body = concat(ebmlHeader("webm"), element(ID_SEGMENT, segmentPayload));
    ParseRun run = ParseRun.parseAllWays(body, LIMITS);
    assertThat(run.fragments).hasSize(1);
    assertThat(run.fragments.get(0).bytes()).isEqualTo(c1);
    assertThat(run.fragments.get(0).frames().relativeTimeTicks(0)).isEqualTo(-40);
    assertThat(run.fragments.get(0).frames().timeTicks(0)).isEqualTo(0);
  }

  @Test
  void parse_blockGroupWithDurationAndReference_keyFlagAndDurationRecorded() throws Exception {
    byte[] keyGroup = element(ID_BLOCK_GROUP,
        element(ID_BLOCK, blockPayload(1, 0, 0, frame(6, 1))), uint(ID_BLOCK_DURATION, 33));
    byte[] deltaGroup = element(ID_BLOCK_GROUP, element(ID_BLOCK, blockPayload(1, 33, 0, frame(5, 2))),
        element(ID_REFERENCE_BLOCK, new byte[] {(byte) 0xDF}), element(ID_VOID, new byte[3]));
    byte[] c = unknownCluster(500, keyGroup, deltaGroup);
    ParseRun run = ParseRun.parseAllWays(body(c), LIMITS);
    FrameTable t = run.fragments.get(0).frames();
    assertThat(t.size()).isEqualTo(2);
    assertThat(t.isKeyFrame(0)).isTrue();
    assertThat(t.durationTicks(0)).isEqualTo(33);
    assertThat(t.isKeyFrame(1)).isFalse();
    assertThat(t.durationTicks(1)).isZero();
    assertFrameBytes(run.fragments.get(0), 0, frame(6, 1));
    assertFrameBytes(run.fragments.get(0), 1, frame(5, 2));
  }

  @Test
  void parse_xiphLacedBlock_oneFramePerLace() throws Exception {
    byte[] a = frame(300, 1);
    byte[] b = frame(2, 2);
    byte[] c = frame(7, 3);
    // Lacing bits 01 (Xiph), 3 frames: sizes 300 = 255 + 45, then 2; the last is implied.
    byte[] payload = blockPayload(2, 10, 0x80 | 0x02, new byte[] {2, (byte) 0xFF, 45, 2}, a, b, c);
    ParseRun run = ParseRun.parseAllWays(body(unknownCluster(0, element(ID_SIMPLE_BLOCK, payload))), LIMITS);
    assertLaced(run, a, b, c);
  }

  @Test
  void parse_ebmlLacedBlock_oneFramePerLace() throws Exception {
    byte[] a = frame(300, 1);
    byte[] b = frame(290, 2);
    byte[] c = frame(7, 3);
    // Lacing bits 11 (EBML): first size 300 as a 2-byte varint, then 290 - 300 = -10 as a signed
    // 1-byte varint (bias 63: 53 | 0x80).
    byte[] sizes = {2, 0x41, 0x2C, (byte) (0x80 | 53)};
    byte[] payload = blockPayload(2, 10, 0x80 | 0x06, sizes, a, b, c);
    ParseRun run = ParseRun.parseAllWays(body(unknownCluster(0, element(ID_SIMPLE_BLOCK, payload))), LIMITS);
    assertLaced(run, a, b, c);
  }

  @Test
  void parse_fixedSizeLacedBlock_oneFramePerLace() throws Exception {
    byte[] a = frame(4, 1);
    byte[] b = frame(4, 2);
    byte[] c = frame(4, 3);
    byte[] payload = blockPayload(2, 10, 0x80 | 0x04, new byte[] {2}, a, b, c);
    ParseRun run = ParseRun.parseAllWays(body(unknownCluster(0, element(ID_SIMPLE_BLOCK, payload))), LIMITS);
    assertLaced(run, a, b, c);
  }

  @Test
  void parse_crcAndVoidBeforeTimecode_heldUntilFragmentStart() throws Exception {
    byte[] c = unknownSize(ID_CLUSTER, element(ID_CRC32, new byte[] {1, 2, 3, 4}),
        element(ID_VOID, new byte[100]), uint(ID_TIMECODE, 9), uint(ID_POSITION, 1234),
        simpleBlock(1, 0, true, frame(20, 5)));
    ParseRun run = ParseRun.parseAllWays(body(c), LIMITS);
    assertThat(run.fragments.get(0).bytes()).isEqualTo(c);
    assertThat(run.fragments.get(0).timecodeTicks()).isEqualTo(9);
    assertFrameBytes(run.fragments.get(0), 0, frame(20, 5));
  }

  @Test
  void parse_timecodeScaleAndEqualClusterTimecodes_accepted() throws Exception {
    byte[] headerWithScale = concat(ebmlHeader("matroska"), id(ID_SEGMENT), UNKNOWN_SIZE,
        element(ID_SEEK_HEAD, frame(12, 7)), info(100), twoTracks(), element(ID_TAGS, frame(3, 1)));
    byte[] c1 = cluster(5, simpleBlock(1, 0, true, frame(2, 1)));
    byte[] c2 = cluster(5, simpleBlock(1, 0, true, frame(2, 1)));
    ParseRun run = ParseRun.parseAllWays(concat(headerWithScale, c1, c2), LIMITS);
    assertThat(run.header.timecodeScaleNs()).isEqualTo(100);
    assertThat(run.header.rawBytes()).isEqualTo(headerWithScale);
    assertThat(run.fragments.get(1).frames().timeNs(0)).isEqualTo(500);
  }

  @Test
  void parse_bodyWithoutClusters_noHeaderCallback() throws Exception {
    ParseRun run = ParseRun.parseAllWays(body(), LIMITS);
    assertThat(run.headerCalls).isZero();
    assertThat(run.fragments).isEmpty();
  }

  @Test
  void parseHeader_syntheticHeader_roundTrips() throws Exception {
    MkvHeader parsed = MkvIngestParser.parseHeader(header());
    assertThat(parsed.rawBytes()).isEqualTo(header());
    assertThat(parsed.tracks()).hasSize(2);
    assertThat(parsed.track(2).defaultDurationNs()).isEqualTo(21_333_333);
    assertThat(parsed.track(2).samplingFrequencyHz()).isEqualTo(48000.0);
    assertThat(parsed.track(2).channels()).isEqualTo(2);
    assertThat(parsed.track(2).codecPrivate()).isEmpty();
    assertThat(parsed.track(1).codecPrivate()).containsExactly(1, 2, 3);
    ParseRun run = ParseRun.parseAllWays(body(cluster(0, simpleBlock(1, 0, true, frame(1, 1)))), LIMITS);
    assertThat(MkvIngestParserFixtureTest.describe(parsed))
        .isEqualTo(MkvIngestParserFixtureTest.describe(run.header));
  }

  private static void assertLaced(ParseRun run, byte[]... frames) {
    ParseRun.Fragment f = run.fragments.get(0);
    FrameTable t = f.frames();
    assertThat(t.size()).isEqualTo(frames.length);
    for (int i = 0; i < frames.length; i++) {
      assertThat(t.trackNumber(i)).isEqualTo(2);
      assertThat(t.relativeTimeTicks(i)).isEqualTo(10);
      assertThat(t.isKeyFrame(i)).isTrue();
      assertFrameBytes(f, i, frames[i]);
    }
  }

  private static void assertFrameBytes(ParseRun.Fragment f, int i, byte[] expected) {
    int offset = f.frames().offset(i);
    assertThat(f.frames().frameSize(i)).isEqualTo(expected.length);
    assertThat(Arrays.copyOfRange(f.bytes(), offset, offset + expected.length)).isEqualTo(expected);
  }
}
