package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ContainerFormat;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHTimestampRange;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSTimestampRange;

/**
 * A stream whose codec private data changes between two uploads, as when a camera reconnects with
 * other encoder settings: {@link TestMedia#h264Aac()} (High profile), then
 * {@link TestMedia#h264AacMainProfile()} (same tracks, other SPS). HLS plays across the change
 * (spec §4.5): a discontinuity and, in fMP4, a second init segment with the new codec private
 * data (and the new parameter sets in-band); every frame of both uploads decodes as the
 * source's. DASH keeps to the codec private data the session started with, so its manifest lists
 * the first upload's fragments only.
 */
class HlsCodecChangeTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "codec-change";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static KinesisVideoClient kv;
  private static Instant start;
  private static Instant end;
  private static List<String> bothUploads;

  @BeforeAll
  static void uploadTwice() {
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.Ingest high = Streams.ingestTestMedia(kv, STREAM);
    // The second upload's media follows the first's on the producer timeline, as after a
    // reconnect.
    Streams.Ingest main = Streams.ingest(kv, STREAM,
        new ByteArrayInputStream(TestMedia.bytes(TestMedia.h264AacMainProfile())),
        high.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1));
    start = high.producerStart();
    end = main.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1);
    int clusters = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size()
        + Ffmpeg.clusterTimecodesMs(TestMedia.h264AacMainProfile()).size();
    KinesisVideoArchivedMediaClient am = SERVER.archivedMedia(
        Streams.dataEndpoint(kv, STREAM, APIName.LIST_FRAGMENTS));
    assertThat(Streams.awaitFragments(am, STREAM,
        Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, start, end), clusters))
        .hasSize(clusters);
    bothUploads = new ArrayList<>(Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac())));
    bothUploads.addAll(Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264AacMainProfile())));
    assertThat(bothUploads).hasSize(2 * TestMedia.VIDEO_FRAME_COUNT).doesNotHaveDuplicates();
  }

  private static String onDemandHls(ContainerFormat container) {
    return SERVER.archivedMedia(
            Streams.dataEndpoint(kv, STREAM, APIName.GET_HLS_STREAMING_SESSION_URL))
        .getHLSStreamingSessionURL(r -> r.streamName(STREAM).playbackMode(HLSPlaybackMode.ON_DEMAND)
            .containerFormat(container)
            .hlsFragmentSelector(HLSFragmentSelector.builder()
                .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(HLSTimestampRange.builder().startTimestamp(start)
                    .endTimestamp(end).build()).build()))
        .hlsStreamingSessionURL();
  }

  /**
   * Through the playlist, ffmpeg decodes every frame of both uploads: it keeps the first init
   * segment's parameter sets when EXT-X-MAP changes, so the key frames after the change carry the
   * new ones in-band. The second init segment is also checked on its own: followed by the second
   * upload's segments it is an fMP4 file that decodes to exactly that upload's frames.
   */
  @Test
  void hlsFragmentedMp4_acrossTheChange_everyFrameOfBothUploadsAndASecondInitSegment()
      throws Exception {
    String url = onDemandHls(ContainerFormat.FRAGMENTED_MP4);
    String playlistUrl = mediaPlaylistUrl(url);
    List<String> lines = get(playlistUrl).lines().toList();

    List<String> maps = lines.stream().filter(l -> l.startsWith("#EXT-X-MAP:URI=\""))
        .map(l -> l.substring("#EXT-X-MAP:URI=\"".length(), l.length() - 1)).toList();
    assertThat(maps).hasSize(2);
    int second = lines.indexOf("#EXT-X-MAP:URI=\"" + maps.get(1) + "\"");
    assertThat(lines.get(second - 1)).isEqualTo("#EXT-X-DISCONTINUITY");
    assertThat(maps.get(1)).contains("FragmentNumber=10&");
    List<String> media = lines.stream().filter(l -> l.startsWith("getMP4MediaFragment")).toList();
    assertThat(media).hasSize(20);
    assertThat(Ffmpeg.videoHashes(url)).as("ffmpeg through the playlist, across the change")
        .containsExactlyElementsOf(bothUploads);

    java.nio.file.Path secondPart = java.nio.file.Files.createTempFile("codec-change-", ".mp4");
    try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(secondPart)) {
      out.write(getBytes(resolve(playlistUrl, maps.get(1))));
      for (String m : media.subList(10, 20)) {
        out.write(getBytes(resolve(playlistUrl, m)));
      }
    }
    try {
      assertThat(Ffmpeg.videoHashes(secondPart.toString())).as("the second upload")
          .containsExactlyElementsOf(bothUploads.subList(TestMedia.VIDEO_FRAME_COUNT,
              2 * TestMedia.VIDEO_FRAME_COUNT));
    } finally {
      java.nio.file.Files.delete(secondPart);
    }
  }

  @Test
  void hlsMpegTs_acrossTheChange_everyFrameOfBothUploads() {
    String url = onDemandHls(ContainerFormat.MPEG_TS);

    assertThat(get(mediaPlaylistUrl(url))).contains("#EXT-X-DISCONTINUITY");
    assertThat(Ffmpeg.videoHashes(url)).containsExactlyElementsOf(bothUploads);
  }

  @Test
  void dash_acrossTheChange_onlyTheFragmentsOfTheSessionsCodecPrivateData() {
    String url = SERVER.archivedMedia(
            Streams.dataEndpoint(kv, STREAM, APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(STREAM)
            .playbackMode(DASHPlaybackMode.ON_DEMAND)
            .dashFragmentSelector(DASHFragmentSelector.builder()
                .fragmentSelectorType(DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(DASHTimestampRange.builder().startTimestamp(start)
                    .endTimestamp(end).build()).build()))
        .dashStreamingSessionURL();

    assertThat(Ffmpeg.videoHashes(url))
        .containsExactlyElementsOf(bothUploads.subList(0, TestMedia.VIDEO_FRAME_COUNT));
  }

  private static String get(String url) {
    return send(url, HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] getBytes(String url) {
    return send(url, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** GETs {@code url} and returns the body of its 200 response. */
  private static <T> T send(String url, HttpResponse.BodyHandler<T> handler) {
    try {
      HttpResponse<T> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), handler);
      assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
      return r.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String resolve(String base, String relative) {
    return URI.create(base).resolve(relative).toString();
  }

  /** The media playlist URL named by a master playlist. */
  private static String mediaPlaylistUrl(String masterUrl) {
    String relative = get(masterUrl).lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .findFirst().orElseThrow();
    return URI.create(masterUrl).resolve(relative).toString();
  }
}
