package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.framekeep.it.CodecMedia.Audio;
import io.framekeep.it.CodecMedia.Video;
import io.framekeep.it.PutMediaClient.Ack;
import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import io.framekeep.media.mkv.TrackInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipResponse;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.InvalidCodecPrivateDataException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.InvalidMediaFrameException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.MissingCodecPrivateDataException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.UnsupportedStreamMediaTypeException;

/**
 * GetClip conformance per codec combination (spec §3.1, §4.2-§4.6), through the AWS SDK v2
 * against an in-process server: every combination GetClip packages is uploaded with PutMedia and
 * its clip decoded with ffmpeg and compared frame by frame with the source; every codec-related
 * refusal is checked for its exception class, including which one wins when a request has two
 * problems (§4.6 check order).
 *
 * <p>Each test uses its own stream. Variants that ffmpeg cannot make (the {@code V_MPEG/ISO/AVC}
 * codec ID spelling, Annex-B frames or codec private data, a removed CodecPrivate, a corrupt NAL
 * length) are made from ffmpeg's output with {@link MkvEdit}. Uploads use RELATIVE timecodes from
 * a producer start two minutes in the past, and clips select by producer timestamp, so each
 * fragment's time is known exactly: the start plus its cluster timecode (the ack's
 * FragmentTimecode).
 */
class GetClipConformanceTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  /** Producer start of the first upload, in the past so that no timestamp is in the future. */
  private static final long PRODUCER_START_AGO_SECONDS = 120;
  /** Start of a second upload after the first: past the first's last fragment (4 s of media). */
  private static final long SECOND_UPLOAD_AFTER_SECONDS = 10;
  /** A clip range holding every fragment of one upload and nothing after. */
  private static final long ONE_UPLOAD_RANGE_SECONDS = CodecMedia.DURATION_SECONDS + 1;
  /** Samples compared to locate a clip's G.711 audio in the source: 20 ms of noise. */
  private static final int PCM_PROBE_BYTES = 2 * 160;
  /** The video track number ffmpeg gives the first stream. */
  private static final long VIDEO_TRACK = 1;
  private static final AtomicInteger CLIPS = new AtomicInteger();

  @TempDir static Path tmp;

  private static KinesisVideoClient kv;

  @BeforeAll
  static void client() {
    kv = SERVER.kinesisVideo();
  }

  // ---- Combinations GetClip packages: frame-exact clips ----

  @Test
  void getClip_h264Aac_frameExactH264WithEverySourceAacPacket() {
    Path source = CodecMedia.file(Video.H264, Audio.AAC);
    Path clip = uploadAndClipWhole("conf-h264-aac", read(source));

    assertPlayable(clip, "h264", "aac");
    assertVideoFramesEqual(clip, source);
    assertAacPacketsEqual(clip, source);
  }

  @Test
  void getClip_h264VideoOnly_frameExactH264() {
    Path source = CodecMedia.file(Video.H264, Audio.NONE);
    Path clip = uploadAndClipWhole("conf-h264", read(source));

    assertPlayable(clip, "h264");
    assertVideoFramesEqual(clip, source);
  }

  @Test
  void getClip_h265Aac_hvc1FrameExactWithEverySourceAacPacket() {
    Path source = CodecMedia.file(Video.H265, Audio.AAC);
    Path clip = uploadAndClipWhole("conf-h265-aac", read(source));

    assertPlayable(clip, "hevc", "aac");
    assertThat(Ffmpeg.probe(clip).path("streams").get(0).path("codec_tag_string").asText())
        .as("H.265 sample entry").isEqualTo("hvc1");
    assertVideoFramesEqual(clip, source);
    assertAacPacketsEqual(clip, source);
  }

  @Test
  void getClip_h265VideoOnly_hvc1FrameExact() {
    Path source = CodecMedia.file(Video.H265, Audio.NONE);
    Path clip = uploadAndClipWhole("conf-h265", read(source));

    assertPlayable(clip, "hevc");
    assertThat(Ffmpeg.probe(clip).path("streams").get(0).path("codec_tag_string").asText())
        .as("H.265 sample entry").isEqualTo("hvc1");
    assertVideoFramesEqual(clip, source);
  }

  @Test
  void getClip_h264G711Alaw_frameExactWithSourceSamples() {
    Path source = CodecMedia.file(Video.H264, Audio.ALAW);
    assertThat(MkvEdit.of(read(source)).header().tracks().get(1).codecPrivate()[0])
        .as("WAVEFORMATEX format tag, low byte").isEqualTo((byte) 6);
    Path clip = uploadAndClipWhole("conf-h264-alaw", read(source));

    assertPlayable(clip, "h264", "pcm_alaw");
    assertVideoFramesEqual(clip, source);
    assertG711SamplesEqualFromFirstKeyFrame(clip, source);
  }

  @Test
  void getClip_h264G711Mulaw_frameExactWithSourceSamples() {
    Path source = CodecMedia.file(Video.H264, Audio.MULAW);
    assertThat(MkvEdit.of(read(source)).header().tracks().get(1).codecPrivate()[0])
        .as("WAVEFORMATEX format tag, low byte").isEqualTo((byte) 7);
    Path clip = uploadAndClipWhole("conf-h264-mulaw", read(source));

    assertPlayable(clip, "h264", "pcm_mulaw");
    assertVideoFramesEqual(clip, source);
    assertG711SamplesEqualFromFirstKeyFrame(clip, source);
  }

  /** Spec §4.2: {@code V_MPEG/ISO/AVC}, the spelling printed in AWS documentation, is H.264 too. */
  @Test
  void getClip_h264CodecIdSpelledVMpegIsoAvc_frameExactLikeCanonicalSpelling() {
    Path source = CodecMedia.file(Video.H264, Audio.AAC);
    MkvEdit original = MkvEdit.of(read(source));
    byte[] respelled = original.withCodecId(VIDEO_TRACK, "V_MPEG/ISO/AVC");
    assertThat(respelled).hasSize(read(source).length - 1);
    assertThat(MkvEdit.of(respelled).header().tracks().get(0).codecId())
        .isEqualTo("V_MPEG/ISO/AVC");
    assertThat(MkvEdit.of(respelled).frames()).hasSameSizeAs(original.frames());

    Path clip = uploadAndClipWhole("conf-h264-vmpeg", respelled);

    assertPlayable(clip, "h264", "aac");
    assertVideoFramesEqual(clip, source);
    assertAacPacketsEqual(clip, source);
  }

  /** Spec §4.4: a producer without NAL adaptation uploads Annex-B frames; clips convert them. */
  @Test
  void getClip_h264AnnexBFrames_convertedBackToLengthPrefixedFrameExact() {
    Path source = CodecMedia.file(Video.H264, Audio.AAC);
    MkvEdit mkv = MkvEdit.of(read(source));
    assertThat(mkv.header().tracks().get(0).codecPrivate()[4] & 0x03)
        .as("lengthSizeMinusOne of the AVCC record").isEqualTo(3);
    byte[] annexB = mkv.withFramesEdited(videoFrames(mkv),
        GetClipConformanceTest::lengthPrefixesToStartCodes);

    Path clip = uploadAndClipWhole("conf-h264-annexb", annexB);

    assertPlayable(clip, "h264", "aac");
    assertVideoFramesEqual(clip, source);
    assertAacPacketsEqual(clip, source);
  }

  // ---- InvalidMediaFrameException ----

  @Test
  void getClip_corruptNalLengthInThirdFragment_earlierClipPlaysClipOverItInvalidMediaFrame() {
    Path source = CodecMedia.file(Video.H264, Audio.NONE);
    byte[] corrupt = withCorruptFrameInCluster(read(source), 2);
    Upload upload = upload("conf-bad-frame", corrupt, producerStart());

    Path firstTwo = clip("conf-bad-frame", upload.producerStart(), upload.fragmentStart(1));
    assertPlayable(firstTwo, "h264");
    MediaAsserts.assertFramesEqualSource(Ffmpeg.hashes(Ffmpeg.videoFrames(firstTwo)),
        Ffmpeg.hashes(Ffmpeg.videoFrames(source)), 0, 2 * CodecMedia.GOP_FRAMES);

    clipError("conf-bad-frame", upload.producerStart(), upload.fragmentStart(3),
        InvalidMediaFrameException.class);
  }

  /**
   * The message must let the caller find the bad fragment, as the codec private data messages
   * do: by its FragmentNumber. The clip starts at the stream's second fragment, so the bad one is
   * the second of the clip and the third of the stream.
   */
  @Test
  void getClip_corruptFrameInClipNotStartingAtStreamStart_messageNamesFragmentNumber() {
    byte[] corrupt = withCorruptFrameInCluster(CodecMedia.bytes(Video.H264, Audio.NONE), 2);
    Upload upload = upload("conf-bad-frame-name", corrupt, producerStart());

    InvalidMediaFrameException e = clipError("conf-bad-frame-name", upload.fragmentStart(1),
        upload.fragmentStart(3), InvalidMediaFrameException.class);
    assertThat(e.awsErrorDetails().errorMessage()).contains(upload.fragmentNumber(2));
  }

  // ---- MissingCodecPrivateDataException ----

  @Test
  void getClip_videoCodecPrivateRemoved_missingCodecPrivateData() {
    MkvEdit mkv = MkvEdit.of(CodecMedia.bytes(Video.H264, Audio.AAC));
    byte[] noCpd = mkv.withoutCodecPrivate(VIDEO_TRACK);
    assertThat(MkvEdit.of(noCpd).header().tracks().get(0).hasCodecPrivate()).isFalse();
    Upload upload = upload("conf-no-cpd", noCpd, producerStart());

    clipError("conf-no-cpd", upload.producerStart(),
        upload.producerStart().plusSeconds(ONE_UPLOAD_RANGE_SECONDS),
        MissingCodecPrivateDataException.class);
  }

  // ---- InvalidCodecPrivateDataException ----

  /** Spec §4.3: SPS/PPS with start codes instead of an AVCDecoderConfigurationRecord. */
  @Test
  void getClip_annexBCodecPrivate_invalidCodecPrivateData() {
    MkvEdit mkv = MkvEdit.of(CodecMedia.bytes(Video.H264, Audio.AAC));
    byte[] annexBCpd = annexBParameterSets(mkv.header().tracks().get(0).codecPrivate());
    assertThat(annexBCpd).startsWith(0, 0, 0, 1);
    Upload upload = upload("conf-annexb-cpd", mkv.withCodecPrivate(VIDEO_TRACK, annexBCpd),
        producerStart());

    clipError("conf-annexb-cpd", upload.producerStart(),
        upload.producerStart().plusSeconds(ONE_UPLOAD_RANGE_SECONDS),
        InvalidCodecPrivateDataException.class);
  }

  @Test
  void getClip_codecPrivateChangesBetweenUploads_invalidCodecPrivateDataNamingFragment() {
    byte[] first = CodecMedia.bytes(Video.H264, Audio.NONE);
    byte[] second = CodecMedia.bytes(Video.H264_BASELINE, Audio.NONE);
    TrackInfo a = MkvEdit.of(first).header().tracks().get(0);
    TrackInfo b = MkvEdit.of(second).header().tracks().get(0);
    assertThat(b.codecId()).isEqualTo(a.codecId());
    assertThat(b.codecPrivate()).isNotEqualTo(a.codecPrivate());
    Instant start = producerStart();
    Upload one = upload("conf-cpd-change", first, start);
    Upload two = upload("conf-cpd-change", second,
        start.plusSeconds(SECOND_UPLOAD_AFTER_SECONDS));
    assertThat(Ffmpeg.codecNames(clip("conf-cpd-change", start,
        start.plusSeconds(ONE_UPLOAD_RANGE_SECONDS)))).as("the first upload alone")
        .containsExactly("h264");

    InvalidCodecPrivateDataException e = clipError("conf-cpd-change", one.producerStart(),
        two.fragmentStart(1), InvalidCodecPrivateDataException.class);
    assertThat(e.awsErrorDetails().errorMessage()).contains(two.fragmentNumber(0));
  }

  // ---- UnsupportedStreamMediaTypeException ----

  /**
   * VP8 has two problems: its codec is not one GetClip packages, and ffmpeg writes no
   * CodecPrivate for it. §4.6 checks codec IDs before codec private data: Unsupported wins.
   */
  @Test
  void getClip_vp8WithoutCodecPrivate_unsupportedReportedBeforeMissing() {
    byte[] vp8 = CodecMedia.bytes(Video.VP8, Audio.NONE);
    TrackInfo track = MkvEdit.of(vp8).header().tracks().get(0);
    assertThat(track.codecId()).isEqualTo("V_VP8");
    assertThat(track.hasCodecPrivate()).as("VP8 CodecPrivate").isFalse();
    Upload upload = upload("conf-vp8", vp8, producerStart());

    clipError("conf-vp8", upload.producerStart(),
        upload.producerStart().plusSeconds(ONE_UPLOAD_RANGE_SECONDS),
        UnsupportedStreamMediaTypeException.class);
  }

  @Test
  void getClip_aacOnly_unsupported() {
    byte[] aac = CodecMedia.bytes(Video.NONE, Audio.AAC);
    assertThat(MkvEdit.of(aac).header().tracks()).extracting(TrackInfo::codecId)
        .containsExactly("A_AAC");
    Upload upload = upload("conf-aac-only", aac, producerStart());

    clipError("conf-aac-only", upload.producerStart(),
        upload.producerStart().plusSeconds(ONE_UPLOAD_RANGE_SECONDS),
        UnsupportedStreamMediaTypeException.class);
  }

  /** Spec §4.5: H.265 clips carry AAC or no audio; G.711 only goes with H.264. */
  @Test
  void getClip_h265WithG711Alaw_unsupported() {
    Upload upload = upload("conf-h265-alaw", CodecMedia.bytes(Video.H265, Audio.ALAW),
        producerStart());

    clipError("conf-h265-alaw", upload.producerStart(),
        upload.producerStart().plusSeconds(ONE_UPLOAD_RANGE_SECONDS),
        UnsupportedStreamMediaTypeException.class);
  }

  @Test
  void getClip_trackSetChangesBetweenUploads_unsupportedNamingFragment() {
    Instant start = producerStart();
    Upload one = upload("conf-track-change", CodecMedia.bytes(Video.H264, Audio.NONE), start);
    Upload two = upload("conf-track-change", CodecMedia.bytes(Video.H264, Audio.AAC),
        start.plusSeconds(SECOND_UPLOAD_AFTER_SECONDS));
    assertThat(Ffmpeg.codecNames(clip("conf-track-change", two.producerStart(),
        two.producerStart().plusSeconds(ONE_UPLOAD_RANGE_SECONDS)))).as("the second upload alone")
        .containsExactly("h264", "aac");

    UnsupportedStreamMediaTypeException e = clipError("conf-track-change", one.producerStart(),
        two.fragmentStart(1), UnsupportedStreamMediaTypeException.class);
    assertThat(e.awsErrorDetails().errorMessage()).contains(two.fragmentNumber(0));
  }

  // ---- §4.6 check order with two problems in one request ----

  /**
   * The first fragment has no video codec private data and a later one has some (so the data
   * also changes within the clip). §4.6 checks presence before parsing and consistency.
   */
  @Test
  void getClip_missingCodecPrivateThenChangedCodecPrivate_missingReportedFirst() {
    byte[] withCpd = CodecMedia.bytes(Video.H264, Audio.NONE);
    byte[] withoutCpd = MkvEdit.of(withCpd).withoutCodecPrivate(VIDEO_TRACK);
    Instant start = producerStart();
    Upload one = upload("conf-order-missing", withoutCpd, start);
    Upload two = upload("conf-order-missing", withCpd,
        start.plusSeconds(SECOND_UPLOAD_AFTER_SECONDS));

    clipError("conf-order-missing", one.producerStart(), two.fragmentStart(1),
        MissingCodecPrivateDataException.class);
  }

  /** A corrupt frame and a codec private data change: codec data is checked before frames. */
  @Test
  void getClip_corruptFrameAndChangedCodecPrivate_invalidCodecPrivateDataReportedFirst() {
    byte[] corrupt = withCorruptFrameInCluster(CodecMedia.bytes(Video.H264, Audio.NONE), 0);
    Instant start = producerStart();
    Upload one = upload("conf-order-cpd", corrupt, start);
    Upload two = upload("conf-order-cpd", CodecMedia.bytes(Video.H264_BASELINE, Audio.NONE),
        start.plusSeconds(SECOND_UPLOAD_AFTER_SECONDS));

    clipError("conf-order-cpd", one.producerStart(), two.fragmentStart(1),
        InvalidCodecPrivateDataException.class);
  }

  // ---- Uploads and clips ----

  /** What one PutMedia did: the producer start it sent and the acks it got. */
  private record Upload(Instant producerStart, PutMediaClient.Response response) {
    List<Ack> persisted() {
      return response.acks("PERSISTED");
    }

    String fragmentNumber(int i) {
      return persisted().get(i).fragmentNumber();
    }

    /** Producer timestamp of fragment {@code i}: the start plus its cluster timecode (1 ms). */
    Instant fragmentStart(int i) {
      return producerStart.plusMillis(persisted().get(i).fragmentTimecode());
    }
  }

  private static Instant producerStart() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(PRODUCER_START_AGO_SECONDS);
  }

  /**
   * Creates the stream if needed, uploads {@code mkv} and waits until ListFragments shows every
   * fragment; every cluster must have been persisted without an error ack.
   */
  private static Upload upload(String stream, byte[] mkv, Instant producerStart) {
    if (kv.listStreams(r -> r.streamNameCondition(c -> c.comparisonOperator("BEGINS_WITH")
        .comparisonValue(stream))).streamInfoList().stream()
        .noneMatch(s -> s.streamName().equals(stream))) {
      Streams.create(kv, stream, 24);
    }
    PutMediaClient.Response response = InProcessServer.putMedia(
        Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA)).put(
        Target.relative(stream, producerStart), Signing.EMPTY_PAYLOAD_HASH,
        new ByteArrayInputStream(mkv), Streams.UPLOAD_TIMEOUT);
    assertThat(response.status()).as("PutMedia status; body: %s", response.body()).isEqualTo(200);
    assertThat(response.acks("ERROR")).as("error acks").isEmpty();
    int clusters = MkvEdit.of(mkv).clusterCount();
    assertThat(response.acks("PERSISTED")).as("PERSISTED acks").hasSize(clusters);
    Upload upload = new Upload(producerStart, response);
    assertThat(Streams.awaitFragments(
        SERVER.archivedMedia(Streams.dataEndpoint(kv, stream, APIName.LIST_FRAGMENTS)), stream,
        Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, producerStart,
            upload.fragmentStart(clusters - 1)), clusters)).hasSize(clusters);
    return upload;
  }

  /** Uploads {@code mkv} to a new stream and returns the clip of every fragment. */
  private static Path uploadAndClipWhole(String stream, byte[] mkv) {
    Upload upload = upload(stream, mkv, producerStart());
    return clip(stream, upload.producerStart(),
        upload.producerStart().plusSeconds(ONE_UPLOAD_RANGE_SECONDS));
  }

  /** GetClip by producer timestamps {@code [start, end]}, written to a new file. */
  private static Path clip(String stream, Instant start, Instant end) {
    Path file = tmp.resolve(stream + "-" + CLIPS.incrementAndGet() + ".mp4");
    GetClipResponse response = archived(stream).getClip(r -> r.streamName(stream)
            .clipFragmentSelector(s -> s
                .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(start).endTimestamp(end))),
        ResponseTransformer.toFile(file));
    assertThat(response.contentType()).isEqualTo("video/mp4");
    return file;
  }

  /** GetClip that must fail with HTTP 400 and the SDK exception class {@code type}. */
  private static <T extends AwsServiceException> T clipError(String stream, Instant start,
      Instant end, Class<T> type) {
    Throwable thrown = catchThrowable(() -> archived(stream).getClipAsBytes(r -> r
        .streamName(stream).clipFragmentSelector(s -> s
            .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(start).endTimestamp(end)))));
    assertThat(thrown).as("GetClip of %s", stream).isInstanceOf(type);
    T e = type.cast(thrown);
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
    return e;
  }

  private static KinesisVideoArchivedMediaClient archived(String stream) {
    return SERVER.archivedMedia(Streams.dataEndpoint(kv, stream, APIName.GET_CLIP));
  }

  // ---- Clip checks ----

  /** Stream codecs in order, ftyp first, moov before mdat, no fragments, clean decode. */
  private static void assertPlayable(Path clip, String... codecNames) {
    assertThat(Ffmpeg.codecNames(clip)).containsExactly(codecNames);
    List<String> boxes = Ffmpeg.topLevelBoxes(clip);
    assertThat(boxes).first().isEqualTo("ftyp");
    assertThat(boxes).contains("moov", "mdat").doesNotContain("moof");
    assertThat(boxes.indexOf("moov")).as("moov before mdat: %s", boxes)
        .isLessThan(boxes.indexOf("mdat"));
    assertThat(Ffmpeg.decodeErrors(clip)).as("ffmpeg -v error while decoding").isEmpty();
  }

  /** The clip holds every source video frame, each decoding to the source frame's hash. */
  private static void assertVideoFramesEqual(Path clip, Path source) {
    List<String> sourceFrames = Ffmpeg.hashes(Ffmpeg.videoFrames(source));
    assertThat(sourceFrames).hasSize(CodecMedia.VIDEO_FRAME_COUNT);
    MediaAsserts.assertFramesEqualSource(Ffmpeg.hashes(Ffmpeg.videoFrames(clip)), sourceFrames, 0,
        sourceFrames.size());
  }

  /**
   * As in {@link GetClipEndToEndTest}: every coded AAC packet of the upload is in the clip,
   * unchanged (decoded AAC depends on decoder history, so packets are what can be compared), and
   * what decodes behind the edit list is the audio from the first video frame on.
   */
  private static void assertAacPacketsEqual(Path clip, Path source) {
    List<Ffmpeg.Frame> sourcePackets = Ffmpeg.audioPackets(source);
    MediaAsserts.assertAudioPacketsEqualSource(Ffmpeg.audioPacketsIgnoringEditList(clip),
        sourcePackets, Long.MIN_VALUE, Long.MAX_VALUE);
    long firstVideoMs = Ffmpeg.videoKeyFrames(source).get(0).ptsMs();
    long shown = sourcePackets.stream().filter(p -> p.ptsMs() >= firstVideoMs).count();
    assertThat(MediaAsserts.totalDurationTicks(Ffmpeg.audioFrames(clip)))
        .as("decoded audio samples")
        .isCloseTo(shown * TestMedia.AAC_FRAME_SAMPLES,
            within((long) TestMedia.AAC_FRAME_SAMPLES));
  }

  /**
   * G.711 decodes sample by sample, so the clip's decoded audio must be one run of the source's
   * decoded samples: found by its first 20 ms (noise, so found once), then compared whole. It
   * starts within one source block of the first video frame and runs to the end of the source.
   */
  private static void assertG711SamplesEqualFromFirstKeyFrame(Path clip, Path source) {
    byte[] sourcePcm = Ffmpeg.decodedAudioS16(source);
    byte[] clipPcm = Ffmpeg.decodedAudioS16(clip);
    assertThat(clipPcm.length).as("decoded clip audio bytes").isGreaterThan(PCM_PROBE_BYTES);
    byte[] probe = Arrays.copyOf(clipPcm, PCM_PROBE_BYTES);
    int at = indexOf(sourcePcm, probe, 0);
    assertThat(at).as("clip audio start in the source").isNotNegative();
    assertThat(indexOf(sourcePcm, probe, at + 1)).as("second match of the probe").isNegative();
    assertThat(at % 2).as("sample aligned").isZero();
    assertThat(at + clipPcm.length).as("clip audio ends with the source audio")
        .isEqualTo(sourcePcm.length);
    assertThat(Arrays.equals(clipPcm, 0, clipPcm.length, sourcePcm, at, at + clipPcm.length))
        .as("clip samples equal source samples from sample %d", at / 2).isTrue();
    long startMs = (at / 2) * 1000L / CodecMedia.G711_SAMPLE_RATE;
    assertThat(startMs).as("clip audio start (ms of source)")
        .isCloseTo(Ffmpeg.videoKeyFrames(source).get(0).ptsMs(), within(130L));
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---- Media variants ----

  private static List<MkvEdit.Frame> videoFrames(MkvEdit mkv) {
    return mkv.frames().stream().filter(f -> f.trackNumber() == VIDEO_TRACK).toList();
  }

  /**
   * Rewrites each 4-byte NAL length prefix of a length-prefixed frame to the start code {@code 00
   * 00 00 01}: the frame keeps its size and becomes Annex-B.
   */
  private static void lengthPrefixesToStartCodes(ByteBuffer frame) {
    int p = 0;
    while (p < frame.limit()) {
      assertThat(frame.limit() - p).as("room for a NAL length").isGreaterThanOrEqualTo(4);
      int length = frame.getInt(p);
      assertThat(length).as("NAL length at %d", p).isPositive()
          .isLessThanOrEqualTo(frame.limit() - p - 4);
      frame.putInt(p, 1);
      p += 4 + length;
    }
  }

  /**
   * The file with the fifth video frame of cluster {@code clusterIndex} given a first NAL length
   * far beyond the frame's end; it no longer begins with a start code either, so it is neither
   * length-prefixed nor Annex-B.
   */
  private static byte[] withCorruptFrameInCluster(byte[] mkvBytes, int clusterIndex) {
    MkvEdit mkv = MkvEdit.of(mkvBytes);
    MkvEdit.Frame victim = videoFrames(mkv).stream()
        .filter(f -> f.clusterIndex() == clusterIndex).skip(4).findFirst().orElseThrow();
    return mkv.withFramesEdited(List.of(victim), frame -> frame.putInt(0, 0x7FFF_FF00));
  }

  /**
   * SPS and PPS of an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) in Annex-B form,
   * each after a 4-byte start code: the codec private data a producer sends when it skips
   * {@code NAL_ADAPTATION_ANNEXB_CPD_NALS}.
   */
  private static byte[] annexBParameterSets(byte[] avcc) {
    ByteBuffer in = ByteBuffer.wrap(avcc);
    in.position(5);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int sets = in.get() & 0x1F; // numOfSequenceParameterSets
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < sets; i++) {
        int length = in.getShort() & 0xFFFF; // sequence/pictureParameterSetLength
        out.writeBytes(new byte[] {0, 0, 0, 1});
        out.write(avcc, in.position(), length);
        in.position(in.position() + length);
      }
      if (pass == 0) {
        sets = in.get() & 0xFF; // numOfPictureParameterSets
      }
    }
    return out.toByteArray();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
