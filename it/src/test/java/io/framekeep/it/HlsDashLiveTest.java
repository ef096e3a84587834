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
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * LIVE HLS (MPEG-TS and fMP4) played by ffmpeg while the stream is still being uploaded: the decoded frames
 * are a contiguous run of the source's frames, starting at a GOP, and ffmpeg is done before the
 * upload is.
 *
 * <p>Not covered here yet: LIVE DASH. ffmpeg's DASH demuxer did not finish reading a LIVE
 * manifest within minutes.
 *
 * <p>Each test paces {@link TestMedia#h264Aac()} (about 0.5 MB for 10 s of media) at 8 KiB every
 * 150 ms, so the upload takes about 9 s, a little slower than real time; once four fragments are
 * listed, the session starts and ffmpeg reads {@link #PLAYED_SECONDS} of media from the first
 * fragment in its list, well before the upload ends.
 */
class HlsDashLiveTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final int PACE_BYTES = 8 * 1024;
  private static final long PACE_MS = 150;
  private static final int PLAYED_SECONDS = 3;
  /** Fragments (1 s each) in the stream before the session starts: more than ffmpeg reads. */
  private static final int FRAGMENTS_BEFORE_PLAYING = PLAYED_SECONDS + 1;
  /** The session's playlist/manifest window; larger than {@link #FRAGMENTS_BEFORE_PLAYING}. */
  private static final long WINDOW = 10;
  /** How long to wait for {@link #FRAGMENTS_BEFORE_PLAYING} fragments. */
  private static final long FRAGMENTS_TIMEOUT_MS = 10_000;

  private static KinesisVideoClient kv;
  private static List<String> sourceFrames;

  @BeforeAll
  static void setUp() {
    kv = SERVER.kinesisVideo();
    sourceFrames = Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac()));
    assertThat(sourceFrames).hasSize(TestMedia.VIDEO_FRAME_COUNT)
        .as("every source frame differs from every other").doesNotHaveDuplicates();
  }

  @Test
  void hlsLive_mpegTsWhileUploading_ffmpegDecodesContiguousSourceFrames() {
    playWhileUploading("hls-live-ts", stream -> hlsClient(stream)
        .getHLSStreamingSessionURL(r -> r.streamName(stream).playbackMode(HLSPlaybackMode.LIVE)
            .containerFormat(ContainerFormat.MPEG_TS).maxMediaPlaylistFragmentResults(WINDOW))
        .hlsStreamingSessionURL());
  }

  @Test
  void hlsLive_fragmentedMp4WhileUploading_ffmpegDecodesContiguousSourceFrames() {
    playWhileUploading("hls-live-fmp4", stream -> hlsClient(stream)
        .getHLSStreamingSessionURL(r -> r.streamName(stream).playbackMode(HLSPlaybackMode.LIVE)
            .containerFormat(ContainerFormat.FRAGMENTED_MP4)
            .maxMediaPlaylistFragmentResults(WINDOW))
        .hlsStreamingSessionURL());
  }

  private static KinesisVideoArchivedMediaClient hlsClient(String stream) {
    return SERVER.archivedMedia(
        Streams.dataEndpoint(kv, stream, APIName.GET_HLS_STREAMING_SESSION_URL));
  }

  /**
   * Starts a paced upload to a new stream, gets a session URL from {@code sessionUrl} as soon as
   * the stream has a fragment, has ffmpeg decode {@link #PLAYED_SECONDS} of its video (HLS: from
   * the first listed segment, {@code -live_start_index 0}) and checks the frames and the timing.
   */
  private static void playWhileUploading(String stream, Function<String, String> sessionUrl) {
    Streams.create(kv, stream, 24);
    GetMediaTest.PacedInputStream paced = new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.h264AacBytes()), PACE_BYTES, PACE_MS);
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (PutMediaClient.Upload upload = InProcessServer.putMedia(
            Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA))
        .start(PutMediaClient.Target.relative(stream, producerStart),
            PutMediaClient.Signing.EMPTY_PAYLOAD_HASH, paced)) {
      awaitFragments(stream, FRAGMENTS_BEFORE_PLAYING);
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
      assertThat(offset % TestMedia.GOP_FRAMES).as("playback starts at a GOP (source frame %d)",
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
