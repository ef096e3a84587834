package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipRequest;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;

/**
 * Clips across a producer-time gap: two RELATIVE PutMedia uploads of the same ten-second file
 * into one stream, the second starting 70 s after the first ends (or 70 s after it starts). Each
 * upload's Matroska timecodes start near 0, so only the producer timestamps say where the second
 * one lies. A clip spanning both must decode every frame of both, carry every audio packet of
 * both, and keep the gap on its timeline: the frame before the gap lasts until the first frame
 * after it.
 */
class GetClipGapTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final long GAP_MS = 70_000;
  /** Timestamp rounding (1 ms timecode scale) plus one tick of ffmpeg's reported time bases. */
  private static final long TIMING_TOLERANCE_MS = 2;

  @TempDir static Path tmp;

  private static KinesisVideoClient kv;
  private static List<Ffmpeg.Frame> sourceVideo;
  private static List<Ffmpeg.Frame> sourceAudio;
  /** Presentation times of the source's video frames as stored in the MKV, in order. */
  private static List<Long> sourcePtsMs;
  /** Second upload starts GAP_MS after the first one's last fragment ends. */
  private static Uploads afterEnd;
  /** Second upload's producer start is GAP_MS after the first one's. */
  private static Uploads afterStart;

  /** Two uploads of {@link TestMedia#h264Aac()} into one stream, from these producer starts. */
  private record Uploads(String stream, Instant firstStart, Instant secondStart) {
    long distanceMs() {
      return secondStart.toEpochMilli() - firstStart.toEpochMilli();
    }
  }

  @BeforeAll
  static void upload() {
    kv = SERVER.kinesisVideo();
    sourceVideo = Ffmpeg.videoFrames(TestMedia.h264Aac());
    sourceAudio = Ffmpeg.audioPackets(TestMedia.h264Aac());
    sourcePtsMs = Ffmpeg.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
        "packet=pts_time", "-of", "csv=p=0", TestMedia.h264Aac().toString()).lines()
        .filter(l -> !l.isBlank()).map(l -> Math.round(Double.parseDouble(l) * 1000)).sorted()
        .toList();
    Instant base = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    afterEnd = uploadTwice("clip-gap-after-end", base,
        base.plusSeconds(TestMedia.DURATION_SECONDS).plusMillis(GAP_MS));
    afterStart = uploadTwice("clip-gap-after-start", base, base.plusMillis(GAP_MS));
  }

  private static Uploads uploadTwice(String stream, Instant first, Instant second) {
    Streams.create(kv, stream, 24);
    for (Instant start : List.of(first, second)) {
      Streams.ingest(kv, stream, new ByteArrayInputStream(TestMedia.h264AacBytes()), start);
    }
    int fragments = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
    Streams.awaitFragments(SERVER.archivedMedia(
            Streams.dataEndpoint(kv, stream, APIName.LIST_FRAGMENTS)), stream,
        Streams.selector(
            software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType
                .PRODUCER_TIMESTAMP, first, second.plusSeconds(TestMedia.DURATION_SECONDS + 1)),
        2 * fragments);
    return new Uploads(stream, first, second);
  }

  private static Path clip(Uploads u, Instant from, Instant to, String trim, String name) {
    Path file = tmp.resolve(name);
    GetClipRequest.Builder request = GetClipRequest.builder().streamName(u.stream())
        .clipFragmentSelector(s -> s
            .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(from).endTimestamp(to)));
    if (trim != null) {
      request.overrideConfiguration(o -> o.putHeader("x-framekeep-clip-trim", trim));
    }
    SERVER.archivedMedia(Streams.dataEndpoint(kv, u.stream(), APIName.GET_CLIP))
        .getClip(request.build(), ResponseTransformer.toFile(file));
    return file;
  }

  private static Path wholeClip(Uploads u, String name) {
    return clip(u, u.firstStart(),
        u.secondStart().plusSeconds(TestMedia.DURATION_SECONDS + 1), null, name);
  }

  @Test
  void getClip_secondUploadStartsSeventySecondsAfterFirstEnds_bothDecodeWholeWithTheGap() {
    assertBothUploadsWholeWithGap(afterEnd, wholeClip(afterEnd, "after-end.mp4"));
  }

  @Test
  void getClip_secondUploadStartsSeventySecondsAfterFirstStarts_bothDecodeWholeWithTheGap() {
    assertBothUploadsWholeWithGap(afterStart, wholeClip(afterStart, "after-start.mp4"));
  }

  private static void assertBothUploadsWholeWithGap(Uploads u, Path clip) {
    int n = TestMedia.VIDEO_FRAME_COUNT;
    List<Ffmpeg.Frame> video = Ffmpeg.videoFrames(clip);
    MediaAsserts.assertFramesEqualSource(Ffmpeg.hashes(video), twice(Ffmpeg.hashes(sourceVideo)),
        0, 2 * n);
    assertThat(Ffmpeg.decodeErrors(clip)).isEmpty();

    // Every AAC packet of both uploads, unchanged and in order.
    List<Ffmpeg.Frame> audio = Ffmpeg.audioPacketsIgnoringEditList(clip);
    assertThat(Ffmpeg.hashes(audio)).as("audio packets of both uploads")
        .containsExactlyElementsOf(twice(Ffmpeg.hashes(sourceAudio)));

    // The second part is shown as far after the first as its producer times say, in both tracks:
    // each frame and packet of it lies the uploads' distance after its twin in the first part.
    for (int i = 0; i < n; i++) {
      assertThat(video.get(n + i).ptsMs() - video.get(i).ptsMs()).as("video frame %d", i)
          .isCloseTo(u.distanceMs(), within(TIMING_TOLERANCE_MS));
    }
    int packets = sourceAudio.size();
    for (int i = 0; i < packets; i++) {
      assertThat(audio.get(packets + i).ptsMs() - audio.get(i).ptsMs()).as("audio packet %d", i)
          .isCloseTo(u.distanceMs(), within(TIMING_TOLERANCE_MS));
    }
    // Across the gap the video track runs on: it lasts from its first frame to the end of the
    // second part's last frame, gap included.
    double videoMs = Ffmpeg.probe(clip).get("streams").get(0).get("duration").asDouble() * 1000;
    double frameMs = 1000.0 / TestMedia.VIDEO_FRAMES_PER_SECOND;
    assertThat(videoMs).as("video track duration, ms").isCloseTo(
        video.get(2 * n - 1).ptsMs() - video.get(0).ptsMs() + frameMs,
        within((double) TIMING_TOLERANCE_MS));
    // As played (edit lists applied) audio stays in step with video after the gap.
    List<Ffmpeg.Frame> shownAudio = Ffmpeg.audioFrames(clip);
    Ffmpeg.Frame secondAudio = shownAudio.get(shownAudio.size() - packets);
    long sourceAudioLeadMs = sourceAudio.get(0).ptsMs() - sourcePtsMs.get(0);
    assertThat(secondAudio.ptsMs() - video.get(n).ptsMs()).as("audio vs video after the gap")
        .isCloseTo(sourceAudioLeadMs, within(TIMING_TOLERANCE_MS));
  }

  @Test
  void getClip_exactTrimAcrossGap_showsTheRequestedFramesOfBothUploads() {
    int half = TestMedia.VIDEO_FRAME_COUNT / 2;
    long fromMs = sourcePtsMs.get(half);
    Path clip = clip(afterEnd, afterEnd.firstStart().plusMillis(fromMs),
        afterEnd.secondStart().plusMillis(fromMs), "exact", "exact.mp4");

    List<String> expected = new ArrayList<>(Ffmpeg.hashes(sourceVideo).subList(half,
        TestMedia.VIDEO_FRAME_COUNT));
    expected.addAll(Ffmpeg.hashes(sourceVideo).subList(0, half));
    assertThat(Ffmpeg.hashes(Ffmpeg.videoFrames(clip))).containsExactlyElementsOf(expected);
    assertThat(Ffmpeg.decodeErrors(clip)).isEmpty();
  }

  @Test
  void hlsAndDashOnDemand_acrossGap_decodeEveryFrameOfBothUploads() {
    Uploads u = afterEnd;
    Instant end = u.secondStart().plusSeconds(TestMedia.DURATION_SECONDS + 1);
    String hls = SERVER.archivedMedia(
            Streams.dataEndpoint(kv, u.stream(), APIName.GET_HLS_STREAMING_SESSION_URL))
        .getHLSStreamingSessionURL(r -> r.streamName(u.stream())
            .playbackMode(HLSPlaybackMode.ON_DEMAND)
            .hlsFragmentSelector(s -> s.fragmentSelectorType(
                    HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(u.firstStart()).endTimestamp(end))))
        .hlsStreamingSessionURL();
    String dash = SERVER.archivedMedia(
            Streams.dataEndpoint(kv, u.stream(), APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(u.stream())
            .playbackMode(DASHPlaybackMode.ON_DEMAND)
            .dashFragmentSelector(s -> s.fragmentSelectorType(
                    DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(u.firstStart()).endTimestamp(end))))
        .dashStreamingSessionURL();

    List<String> expected = twice(Ffmpeg.hashes(sourceVideo));
    MediaAsserts.assertFramesEqualSource(Ffmpeg.videoHashes(hls), expected, 0, expected.size());
    MediaAsserts.assertFramesEqualSource(Ffmpeg.videoHashes(dash), expected, 0, expected.size());
  }

  private static <T> List<T> twice(List<T> list) {
    List<T> out = new ArrayList<>(list);
    out.addAll(list);
    return out;
  }
}
