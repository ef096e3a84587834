package io.framekeep.media.mkv;

import static io.framekeep.media.mkv.MatroskaIds.*;
import static io.framekeep.media.mkv.MkvBuilder.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.MediaFormatException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad bodies: each must raise MediaFormatException with the right ack ErrorId, in every split mode. */
class MkvIngestParserMalformedTest {
  private static final IngestLimits LIMITS = IngestLimits.kvsDefaults();
  private static final byte[] OK_CLUSTER = cluster(0, simpleBlock(1, 0, true, frame(10, 1)));

  @Test
  void parse_fixtureTruncatedInsideACluster_malformed() throws Exception {
    byte[] file = MkvIngestParserFixtureTest.resource("avc_aac_3s.mkv");
    MediaFormatException e = ParseRun.failAllWays(Arrays.copyOf(file, file.length / 2), LIMITS);
    assertThat(e.ackErrorId()).isEqualTo(4006);
    assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.MALFORMED);
  }

  @Test
  void parse_bodyCutInsideUnknownSizeClusterBlock_malformed() {
    byte[] body = body(OK_CLUSTER, unknownCluster(40, simpleBlock(1, 0, true, frame(10, 1))));
    assertMalformed(Arrays.copyOf(body, body.length - 3));
  }

  @Test
  void parse_bodyCutInsideElementHeader_malformed() {
    byte[] body = body(OK_CLUSTER);
    assertMalformed(concat(body, new byte[] {0x1F, 0x43}));
  }

  @Test
  void parse_randomGarbage_malformed() {
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] garbage = new byte[1 + random.nextInt(2000)];
      random.nextBytes(garbage);
      assertMalformed(garbage);
    }
  }

  @Test
  void parse_garbageAfterValidHeader_malformedNeverRuntimeException() {
    Random random = new Random(11);
    byte[] valid = body(OK_CLUSTER, cluster(40, simpleBlock(2, 0, true, frame(30, 2))));
    for (int i = 0; i < 200; i++) {
      byte[] corrupt = valid.clone();
      int from = header().length - 40 + random.nextInt(corrupt.length - header().length + 40);
      for (int j = from; j < Math.min(corrupt.length, from + 1 + random.nextInt(4)); j++) {
        corrupt[j] = (byte) random.nextInt(256);
      }
      try {
        ParseRun.parse(corrupt, LIMITS, List.of(corrupt.length));
      } catch (MediaFormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void parse_emptyBodyOrNoSegment_malformed() {
    assertMalformed(new byte[0]);
    assertMalformed(ebmlHeader("matroska"));
  }

  @Test
  void parse_notEbmlAtStart_malformed() {
    assertMalformed(concat(element(ID_SEGMENT, info(1_000_000)), ebmlHeader("matroska")));
  }

  @Test
  void parse_otherDocType_malformed() {
    assertMalformed(concat(ebmlHeader("notmkv"), id(ID_SEGMENT), UNKNOWN_SIZE, OK_CLUSTER));
  }

  @Test
  void parse_hugeDeclaredCodecPrivate_failsAtItsHeaderWithoutAllocating() {
    byte[] hugeCpd = concat(id(ID_CODEC_PRIVATE), new byte[] {0x01, 0x00, 0x10, 0, 0, 0, 0, 0});
    byte[] entry = concat(id(ID_TRACK_ENTRY), UNKNOWN_SIZE);
    byte[] body = concat(ebmlHeader("matroska"), id(ID_SEGMENT), UNKNOWN_SIZE,
        element(ID_TRACKS, concat(uint(ID_TRACK_NUMBER, 1), hugeCpd)), entry);
    assertMalformed(body);
  }

  @Test
  void parse_hugeDeclaredElementInsideKnownParent_malformedImmediately() throws Exception {
    byte[] info = concat(id(ID_INFO), size(10), id(ID_VOID), new byte[] {0x08, 0, 0, 0, 0, 0, 0, 1});
    byte[] body = concat(ebmlHeader("matroska"), id(ID_SEGMENT), UNKNOWN_SIZE, info);
    // The body is not finished: the overrun must be detected from the header alone.
    MkvIngestParser parser = new MkvIngestParser(new ParseRun(), LIMITS);
    MediaFormatException e = feedExpectingFailure(parser, body);
    assertThat(e.ackErrorId()).isEqualTo(4006);
  }

  @Test
  void parse_hugeDeclaredCluster_rejectedAsTooLargeAtItsHeader() throws Exception {
    byte[] hugeCluster = concat(id(ID_CLUSTER), new byte[] {0x01, 0x00, 0x00, 0x10, 0, 0, 0, 0});
    MkvIngestParser parser = new MkvIngestParser(new ParseRun(), LIMITS);
    MediaFormatException e = feedExpectingFailure(parser, body(hugeCluster));
    assertThat(e.ackErrorId()).isEqualTo(4001);
  }

  @Test
  void parse_hugeDeclaredSegmentEndingEarly_malformed() {
    byte[] body = concat(ebmlHeader("matroska"), id(ID_SEGMENT),
        new byte[] {0x01, 0x00, 0x10, 0, 0, 0, 0, 0}, info(1_000_000), twoTracks(), OK_CLUSTER);
    assertMalformed(body);
  }

  @Test
  void parse_oversizedString_malformed() {
    byte[] longCodec = concat(id(ID_CODEC_ID), size(100_000));
    byte[] body = concat(ebmlHeader("matroska"), id(ID_SEGMENT), UNKNOWN_SIZE,
        unknownSize(ID_TRACKS, unknownSize(ID_TRACK_ENTRY, longCodec)));
    assertMalformed(body);
  }

  @Test
  void parse_secondSegment_malformed() {
    byte[] segment = element(ID_SEGMENT, info(1_000_000), twoTracks(), OK_CLUSTER);
    assertMalformed(concat(ebmlHeader("matroska"), segment, segment));
  }

  @Test
  void parse_secondEbmlHeaderInsideUnknownSegment_malformed() {
    assertMalformed(body(OK_CLUSTER, ebmlHeader("matroska"), OK_CLUSTER));
  }

  @Test
  void parse_segmentInsideKnownSizeCluster_malformed() {
    assertMalformed(body(cluster(0, element(ID_SEGMENT, new byte[2]))));
  }

  @Test
  void parse_tracksAfterFirstCluster_malformed() {
    assertMalformed(body(OK_CLUSTER, twoTracks()));
  }

  @Test
  void parse_blockBeforeTimecode_malformed() {
    byte[] c = element(ID_CLUSTER, simpleBlock(1, 0, true, frame(3, 1)), uint(ID_TIMECODE, 0));
    assertMalformed(body(c));
  }

  @Test
  void parse_clusterWithoutTimecode_malformed() {
    assertMalformed(body(element(ID_CLUSTER, element(ID_VOID, new byte[2]))));
  }

  @Test
  void parse_largeVoidBeforeTimecode_malformed() {
    byte[] c = element(ID_CLUSTER, element(ID_VOID, new byte[FragmentAssembler.MAX_BYTES_BEFORE_TIMECODE]),
        uint(ID_TIMECODE, 0));
    assertMalformed(body(c));
  }

  @Test
  void parse_blockShorterThanItsHeader_malformed() {
    assertMalformed(body(cluster(0, element(ID_SIMPLE_BLOCK, new byte[] {(byte) 0x81, 0}))));
  }

  @Test
  void parse_lacedSizesBeyondBlock_malformed() {
    byte[] payload = blockPayload(1, 0, 0x02, new byte[] {1, (byte) 0xFF, 0x10}, frame(5, 1));
    assertMalformed(body(cluster(0, element(ID_SIMPLE_BLOCK, payload))));
  }

  @Test
  void parse_fixedLacingNotDividingBlock_malformed() {
    byte[] payload = blockPayload(1, 0, 0x04, new byte[] {1}, frame(5, 1));
    assertMalformed(body(cluster(0, element(ID_SIMPLE_BLOCK, payload))));
  }

  @Test
  void parse_undeclaredTrackNumber_rejected4010() {
    byte[] c = cluster(0, simpleBlock(1, 0, true, frame(3, 1)), simpleBlock(3, 0, true, frame(3, 1)));
    assertThat(ParseRun.failAllWays(body(c), LIMITS).ackErrorId()).isEqualTo(4010);
  }

  @Test
  void parse_clusterTimecodeGoingBackwards_rejected4004() {
    byte[] body = body(cluster(1000, simpleBlock(1, 0, true, frame(3, 1))),
        unknownCluster(999, simpleBlock(1, 0, true, frame(3, 1))));
    assertThat(ParseRun.failAllWays(body, LIMITS).ackErrorId()).isEqualTo(4004);
  }

  @Test
  void parse_knownSizeClusterOverMaxFragmentBytes_rejected4001BeforeAnyByte() {
    IngestLimits small = new IngestLimits(100, LIMITS.maxFragmentDurationNs(), 3, 1 << 20);
    byte[] c = cluster(0, simpleBlock(1, 0, true, frame(200, 1)));
    assertThat(ParseRun.failAllWays(body(c), small).ackErrorId()).isEqualTo(4001);
  }

  @Test
  void parse_unknownSizeClusterOverMaxFragmentBytes_rejected4001WithoutBuffering() throws Exception {
    IngestLimits small = new IngestLimits(1000, LIMITS.maxFragmentDurationNs(), 3, 1 << 20);
    byte[] c = unknownCluster(0, simpleBlock(1, 0, true, frame(600, 1)),
        simpleBlock(1, 1, false, frame(600, 1)));
    assertThat(ParseRun.failAllWays(body(c), small).ackErrorId()).isEqualTo(4001);
    ParseRun run = new ParseRun();
    MkvIngestParser parser = new MkvIngestParser(run, small);
    byte[] body = body(c);
    try {
      for (byte b : body) {
        parser.feed(ByteBuffer.wrap(new byte[] {b}));
      }
      throw new AssertionError("expected 4001");
    } catch (MediaFormatException e) {
      assertThat(e.ackErrorId()).isEqualTo(4001);
      assertThat(run.bytesOfOpenFragment).isBetween(900L, 1000L);
    }
  }

  @Test
  void parse_fragmentLongerThanMaxDuration_rejected4002() {
    IngestLimits shortLimit = new IngestLimits(1 << 20, 1_000_000_000L, 3, 1 << 20);
    byte[] ok = cluster(0, simpleBlock(1, 0, true, frame(3, 1)),
        element(ID_BLOCK_GROUP, element(ID_BLOCK, blockPayload(1, 900, 0, frame(3, 1))),
            uint(ID_BLOCK_DURATION, 100)));
    byte[] tooLong = cluster(2000, simpleBlock(1, 0, true, frame(3, 1)),
        element(ID_BLOCK_GROUP, element(ID_BLOCK, blockPayload(1, 900, 0, frame(3, 1))),
            uint(ID_BLOCK_DURATION, 101)));
    assertThat(ParseRun.failAllWays(body(ok, tooLong), shortLimit).ackErrorId()).isEqualTo(4002);
  }

  @Test
  void parse_moreThanThreeTracks_rejected4012() {
    byte[] tracks = element(ID_TRACKS, trackEntry(1, 1, "V_MPEG4/ISO/AVC"), trackEntry(2, 2, "A_AAC"),
        trackEntry(3, 2, "A_AAC"), trackEntry(4, 2, "A_AAC"));
    byte[] body = concat(ebmlHeader("matroska"), id(ID_SEGMENT), UNKNOWN_SIZE, tracks, OK_CLUSTER);
    assertThat(ParseRun.failAllWays(body, LIMITS).ackErrorId()).isEqualTo(4012);
  }

  @Test
  void parse_duplicateTrackNumber_malformed() {
    byte[] tracks = element(ID_TRACKS, trackEntry(1, 1, "V_MPEG4/ISO/AVC"), trackEntry(1, 2, "A_AAC"));
    assertMalformed(concat(ebmlHeader("matroska"), id(ID_SEGMENT), UNKNOWN_SIZE, tracks, OK_CLUSTER));
  }

  @Test
  void parse_headerLongerThanLimit_malformed() {
    IngestLimits tinyHeader = new IngestLimits(1 << 20, LIMITS.maxFragmentDurationNs(), 3, 64);
    assertThat(ParseRun.failAllWays(body(OK_CLUSTER), tinyHeader).ackErrorId()).isEqualTo(4006);
  }

  @Test
  void feed_afterFailure_rethrowsTheFailure() throws Exception {
    MkvIngestParser parser = new MkvIngestParser(new ParseRun(), LIMITS);
    MediaFormatException first = feedExpectingFailure(parser, new byte[] {0, 0, 0});
    MediaFormatException again = feedExpectingFailure(parser, body(OK_CLUSTER));
    assertThat(again).isSameAs(first);
  }

  private static MediaFormatException feedExpectingFailure(MkvIngestParser parser, byte[] bytes) {
    try {
      parser.feed(ByteBuffer.wrap(bytes));
    } catch (MediaFormatException e) {
      return e;
    }
    throw new AssertionError("expected a MediaFormatException");
  }

  private static void assertMalformed(byte[] body) {
    MediaFormatException e = ParseRun.failAllWays(body, LIMITS);
    assertThat(e.ackErrorId()).as(e.getMessage()).isEqualTo(4006);
    assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.MALFORMED);
  }
}
