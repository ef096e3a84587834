package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ContainerFormat;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * LIVE HLS (MPEG-TS and fMP4) and LIVE DASH played by ffmpeg while the stream is still being
 * uploaded: the decoded frames are a contiguous run of the source's frames, starting at a GOP, and
 * ffmpeg is done before the upload is.
 *
 * <p>Each test paces its media at 8 KiB every 150 ms, a little slower than real time; once a few
 * fragments are listed, the session starts and ffmpeg reads {@link #PLAYED_SECONDS} of media from
 * the first fragment in its list, well before the upload ends. HLS plays
 * {@link TestMedia#h264Aac()} (10 s, about 0.5 MB, 1 s fragments). DASH plays 20 s with 2 s
 * fragments: ffmpeg's DASH demuxer (5.1) re-reads a segment forever when two segments of a live
 * SegmentTimeline start within the same whole second (it rounds the current position down to a
 * second when it refreshes the manifest), which 1 s fragments whose clusters open with audio
 * sometimes do; the README names this client limit.
 */
class HlsDashLiveTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final int PACE_BYTES = 8 * 1024;
  private static final long PACE_MS = 150;
  private static final int PLAYED_SECONDS = 3;
  /** The session's playlist/manifest window; more fragments than ffmpeg reads. */
  private static final long WINDOW = 10;
  /** How long to wait for the fragments a test wants before it starts the session. */
  private static final long FRAGMENTS_TIMEOUT_MS = 15_000;
  /** 1 s fragments; four of them (more than ffmpeg reads) are listed before playing. */
  private static final Live ONE_SECOND_FRAGMENTS =
      new Live(TestMedia.h264Aac(), TestMedia.GOP_FRAMES, PLAYED_SECONDS + 1);
  /** 2 s fragments; two of them (more than ffmpeg reads) are listed before playing. */
  private static final Live TWO_SECOND_FRAGMENTS =
      new Live(TestMedia.h264Aac(20, 2 * TestMedia.GOP_FRAMES), 2 * TestMedia.GOP_FRAMES, 2);

  private static KinesisVideoClient kv;

  /**
   * Media to upload while playing.
   *
   * @param mkv the KVS-style source
   * @param gopFrames frames per GOP, hence per fragment
   * @param fragmentsBeforePlaying fragments listed before the session starts
   */
  private record Live(java.nio.file.Path mkv, int gopFrames, int fragmentsBeforePlaying) {}

  @BeforeAll
  static void setUp() {
    kv = SERVER.kinesisVideo();
  }

  @Test
  void hlsLive_mpegTsWhileUploading_ffmpegDecodesContiguousSourceFrames() {
    playWhileUploading("hls-live-ts", ONE_SECOND_FRAGMENTS, stream -> hlsClient(stream)
        .getHLSStreamingSessionURL(r -> r.streamName(stream).playbackMode(HLSPlaybackMode.LIVE)
            .containerFormat(ContainerFormat.MPEG_TS).maxMediaPlaylistFragmentResults(WINDOW))
        .hlsStreamingSessionURL());
  }

  @Test
  void hlsLive_fragmentedMp4WhileUploading_ffmpegDecodesContiguousSourceFrames() {
    playWhileUploading("hls-live-fmp4", ONE_SECOND_FRAGMENTS, stream -> hlsClient(stream)
        .getHLSStreamingSessionURL(r -> r.streamName(stream).playbackMode(HLSPlaybackMode.LIVE)
            .containerFormat(ContainerFormat.FRAGMENTED_MP4)
            .maxMediaPlaylistFragmentResults(WINDOW))
        .hlsStreamingSessionURL());
  }

  @Test
  void dashLive_whileUploading_ffmpegDecodesContiguousSourceFrames() {
    playWhileUploading("dash-live", TWO_SECOND_FRAGMENTS, stream -> SERVER.archivedMedia(
            Streams.dataEndpoint(kv, stream, APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(stream).playbackMode(DASHPlaybackMode.LIVE)
            .maxManifestFragmentResults(WINDOW))
        .dashStreamingSessionURL());
  }

  private static KinesisVideoArchivedMediaClient hlsClient(String stream) {
    return SERVER.archivedMedia(
        Streams.dataEndpoint(kv, stream, APIName.GET_HLS_STREAMING_SESSION_URL));
  }

  /**
   * Starts a paced upload of {@code media} to a new stream, gets a session URL from
   * {@code sessionUrl} once the stream has the fragments the media asks for, has ffmpeg decode {@link #PLAYED_SECONDS} of its video (HLS: from
   * the first listed segment, {@code -live_start_index 0}) and checks the frames and the timing.
   */
  private static void playWhileUploading(String stream, Live media,
      Function<String, String> sessionUrl) {
    List<String> sourceFrames = Ffmpeg.hashes(Ffmpeg.videoFrames(media.mkv()));
    assertThat(sourceFrames).as("every source frame differs from every other")
        .doesNotHaveDuplicates();
    Streams.create(kv, stream, 24);
    GetMediaTest.PacedInputStream paced = new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.bytes(media.mkv())), PACE_BYTES, PACE_MS);
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced, producerStart)) {
      awaitFragments(stream, media.fragmentsBeforePlaying());
      assertThat(paced.exhausted()).as("upload still running when the session starts").isFalse();
      String url = sessionUrl.apply(stream);

      List<String> command = new java.util.ArrayList<>(List.of("ffmpeg", "-nostdin", "-v",
          "error"));
      if (url.contains("/hls/")) {
        command.addAll(List.of("-live_start_index", "0"));
      }
      command.addAll(List.of("-i", url, "-map", "0:v:0", "-t", Integer.toString(PLAYED_SECONDS),
          "-fps_mode", "passthrough", "-f", "framemd5", "-"));
      List<String> played = hashes(Ffmpeg.run(command.toArray(String[]::new)));
      boolean uploadDoneWhenPlayed = paced.exhausted();
      Instant playedAt = Instant.now();

      assertThat(uploadDoneWhenPlayed).as("the upload was still running when ffmpeg finished, at %s"
          + " (upload started at %s)", playedAt, producerStart).isFalse();
      assertThat(played).as("decoded frames").hasSizeGreaterThanOrEqualTo(
          (PLAYED_SECONDS - 1) * TestMedia.VIDEO_FRAMES_PER_SECOND);
      int offset = sourceFrames.indexOf(played.get(0));
      assertThat(offset).as("the first decoded frame is a source frame").isNotNegative();
      assertThat(offset % media.gopFrames()).as("playback starts at a GOP (source frame %d)",
          offset).isZero();
      MediaAsserts.assertFramesEqualSource(played, sourceFrames, offset, played.size());
      assertThat(upload.await(Streams.UPLOAD_TIMEOUT).status()).isEqualTo(200);
    }
  }

  /** Waits until ListFragments shows at least {@code count} fragments of the stream. */
  private static void awaitFragments(String stream, int count) {
    KinesisVideoArchivedMediaClient am = SERVER.archivedMedia(
        Streams.dataEndpoint(kv, stream, APIName.LIST_FRAGMENTS));
    long deadline = System.currentTimeMillis() + FRAGMENTS_TIMEOUT_MS;
    while (Streams.listAll(am, stream, Streams.selector(FragmentSelectorType.SERVER_TIMESTAMP,
        Instant.EPOCH, Instant.now().plusSeconds(60)), null).size() < count) {
      assertThat(System.currentTimeMillis()).as("%d fragments listed", count)
          .isLessThan(deadline);
      Streams.sleep(100);
    }
  }

  private static List<String> hashes(String framemd5) {
    return Arrays.stream(framemd5.split("\n")).filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
  }
}
