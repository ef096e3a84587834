package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ContainerFormat;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHDisplayFragmentNumber;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHDisplayFragmentTimestamp;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHTimestampRange;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSDisplayFragmentTimestamp;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSTimestampRange;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ResourceNotFoundException;

/**
 * HLS and DASH sessions end to end: session URLs from the AWS SDK v2 archived-media client, the
 * playlists, manifests and fMP4 segments fetched and decoded by ffmpeg's own HLS and DASH
 * demuxers, and the frames compared with the uploaded source.
 */
class HlsDashTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "hls-dash-h264-aac";
  /** How long a LIVE test waits for the playlist to grow. */
  private static final long LIVE_TIMEOUT_MS = 20_000;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static KinesisVideoClient kv;
  private static Streams.Ingest ingest;
  private static List<String> sourceFrames;

  @BeforeAll
  static void upload() {
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    Streams.awaitFragments(SERVER.archivedMedia(
            Streams.dataEndpoint(kv, STREAM, APIName.LIST_FRAGMENTS)), STREAM,
        Streams.wholeIngestByProducerTime(ingest),
        Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size());
    sourceFrames = Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac()));
  }

  private static KinesisVideoArchivedMediaClient hlsClient(String stream) {
    return SERVER.archivedMedia(
        Streams.dataEndpoint(kv, stream, APIName.GET_HLS_STREAMING_SESSION_URL));
  }

  private static KinesisVideoArchivedMediaClient dashClient(String stream) {
    return SERVER.archivedMedia(
        Streams.dataEndpoint(kv, stream, APIName.GET_DASH_STREAMING_SESSION_URL));
  }

  private static HLSFragmentSelector wholeIngestHls() {
    return HLSFragmentSelector.builder()
        .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
        .timestampRange(HLSTimestampRange.builder().startTimestamp(ingest.producerStart())
            .endTimestamp(ingest.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1))
            .build())
        .build();
  }

  /** An ON_DEMAND DASH session from the upload's start to {@code seconds} after it. */
  private static String onDemandDashUrl(int seconds, DASHDisplayFragmentNumber numbers,
      DASHDisplayFragmentTimestamp timestamps) {
    return dashClient(STREAM).getDASHStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(DASHPlaybackMode.ON_DEMAND)
        .dashFragmentSelector(DASHFragmentSelector.builder()
            .fragmentSelectorType(DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(DASHTimestampRange.builder().startTimestamp(ingest.producerStart())
                .endTimestamp(ingest.producerStart().plusSeconds(seconds)).build())
            .build())
        .displayFragmentNumber(numbers)
        .displayFragmentTimestamp(timestamps))
        .dashStreamingSessionURL();
  }

  private static String onDemandHlsUrl(boolean displayTimestamps) {
    return hlsClient(STREAM).getHLSStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(HLSPlaybackMode.ON_DEMAND).hlsFragmentSelector(wholeIngestHls())
        .displayFragmentTimestamp(displayTimestamps
            ? HLSDisplayFragmentTimestamp.ALWAYS : HLSDisplayFragmentTimestamp.NEVER))
        .hlsStreamingSessionURL();
  }

  /** ffmpeg's decoded video frames of a URL, every frame passed through, as hashes. */
  private static List<String> decodedFrames(String url) {
    return Ffmpeg.videoHashes(url);
  }

  private static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The media playlist URL named by a master playlist. */
  private static String mediaPlaylistUrl(String masterUrl) {
    HttpResponse<String> master = get(masterUrl);
    assertThat(master.statusCode()).as("master playlist: %s", master.body()).isEqualTo(200);
    String relative = master.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .findFirst().orElseThrow();
    return URI.create(masterUrl).resolve(relative).toString();
  }

  @Test
  void hlsOnDemand_fragmentedMp4_ffmpegDecodesEverySourceFrame() {
    String url = onDemandHlsUrl(false);

    assertThat(url)
        .startsWith(SERVER.baseUrl() + "/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken=");
    MediaAsserts.assertFramesEqualSource(decodedFrames(url), sourceFrames, 0,
        TestMedia.VIDEO_FRAME_COUNT);
  }

  @Test
  void hlsOnDemand_mpegTs_ffmpegDecodesEverySourceFrame() {
    String url = hlsClient(STREAM).getHLSStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(HLSPlaybackMode.ON_DEMAND).hlsFragmentSelector(wholeIngestHls())
        .containerFormat(ContainerFormat.MPEG_TS)).hlsStreamingSessionURL();

    String playlist = get(mediaPlaylistUrl(url)).body();
    assertThat(playlist).contains("#EXT-X-VERSION:3", "getTSFragment.ts?FragmentNumber=0&")
        .doesNotContain("#EXT-X-MAP");
    MediaAsserts.assertFramesEqualSource(decodedFrames(url), sourceFrames, 0,
        TestMedia.VIDEO_FRAME_COUNT);
  }

  @Test
  void hlsOnDemand_mediaPlaylist_isCompleteFmp4PlaylistWithProgramDateTimes() {
    String playlist = get(mediaPlaylistUrl(onDemandHlsUrl(true))).body();

    assertThat(playlist).startsWith("#EXTM3U\n").contains("#EXT-X-VERSION:7",
        "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-MAP:URI=\"getMP4InitFragment.mp4?SessionToken=")
        .endsWith("#EXT-X-ENDLIST\n").doesNotContain("#EXT-X-DISCONTINUITY");
    int fragments = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
    assertThat(playlist.lines().filter(l -> l.startsWith("#EXTINF:"))).hasSize(fragments);
    Instant firstStart = ingest.producerStart()
        .plusMillis(Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).get(0));
    assertThat(playlist.lines().filter(l -> l.startsWith("#EXT-X-PROGRAM-DATE-TIME:")).findFirst())
        .hasValue("#EXT-X-PROGRAM-DATE-TIME:" + DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC).format(firstStart));
  }

  @Test
  void dashOnDemand_ffmpegDecodesEverySourceFrame() {
    String url = onDemandDashUrl(TestMedia.DURATION_SECONDS + 1, DASHDisplayFragmentNumber.ALWAYS,
        DASHDisplayFragmentTimestamp.ALWAYS);

    assertThat(url).startsWith(SERVER.baseUrl() + "/dash/v1/getDASHManifest.mpd?SessionToken=");
    String manifest = get(url).body();
    assertThat(manifest).contains("type=\"static\"", "kvs:fn=\"", "kvs:ts=\"",
        "mimeType=\"video/mp4\"", "codecs=\"avc1.", "mimeType=\"audio/mp4\"",
        "codecs=\"mp4a.40.2\"");
    assertSegmentTimelinesContiguous(manifest);
    MediaAsserts.assertFramesEqualSource(decodedFrames(url), sourceFrames, 0,
        TestMedia.VIDEO_FRAME_COUNT);
  }

  /** Every SegmentTimeline's S elements follow each other without gap or overlap: t + d = next t. */
  private static void assertSegmentTimelinesContiguous(String manifest) {
    java.util.regex.Matcher timelines =
        java.util.regex.Pattern.compile("<SegmentTimeline>(.*?)</SegmentTimeline>",
            java.util.regex.Pattern.DOTALL).matcher(manifest);
    int checked = 0;
    while (timelines.find()) {
      java.util.regex.Matcher s = java.util.regex.Pattern
          .compile("<S t=\"(\\d+)\" d=\"(\\d+)\"").matcher(timelines.group(1));
      long end = -1;
      while (s.find()) {
        long t = Long.parseLong(s.group(1));
        if (end >= 0) {
          assertThat(t).as("segment start after a segment ending at %d", end).isEqualTo(end);
        }
        end = t + Long.parseLong(s.group(2));
        checked++;
      }
    }
    assertThat(checked).as("segments in the manifest").isGreaterThan(2);
  }

  @Test
  void hlsLive_whileUploading_playlistGrows() throws Exception {
    String stream = "hls-live";
    Streams.create(kv, stream, 24);
    GetMediaTest.PacedInputStream paced = new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.h264AacBytes()), 8 * 1024, 80);
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced, producerStart)) {
      KinesisVideoArchivedMediaClient am = hlsClient(stream);
      long deadline = System.currentTimeMillis() + LIVE_TIMEOUT_MS;
      String url = null;
      while (url == null) {
        try {
          url = am.getHLSStreamingSessionURL(r -> r.streamName(stream)
              .playbackMode(HLSPlaybackMode.LIVE).maxMediaPlaylistFragmentResults(20L))
              .hlsStreamingSessionURL();
        } catch (ResourceNotFoundException e) {
          assertThat(System.currentTimeMillis()).as("a LIVE session could start")
              .isLessThan(deadline);
          Streams.sleep(100);
        }
      }
      String media = mediaPlaylistUrl(url);
      String first = get(media).body();
      long firstCount = first.lines().filter(l -> l.startsWith("#EXTINF:")).count();
      long count = firstCount;
      while (count <= firstCount && System.currentTimeMillis() < deadline) {
        Streams.sleep(200);
        count = get(media).body().lines().filter(l -> l.startsWith("#EXTINF:")).count();
      }
      assertThat(paced.exhausted()).as("the upload was still running at the first look").isFalse();
      assertThat(firstCount).isPositive();
      assertThat(count).as("segments after the upload went on").isGreaterThan(firstCount);
      assertThat(first).doesNotContain("#EXT-X-ENDLIST").contains("#EXT-X-DISCONTINUITY");
      String dash = dashClient(stream).getDASHStreamingSessionURL(r -> r.streamName(stream)
          .playbackMode(DASHPlaybackMode.LIVE)).dashStreamingSessionURL();
      assertThat(get(dash).body()).contains("type=\"dynamic\"", "minimumUpdatePeriod=");
      assertThat(upload.await(Streams.UPLOAD_TIMEOUT).status()).isEqualTo(200);
    }
  }

  @Test
  void hlsLiveReplay_fromUploadStart_revealsFragmentsAtTheirPace() {
    HLSFragmentSelector fromStart = HLSFragmentSelector.builder()
        .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
        .timestampRange(HLSTimestampRange.builder().startTimestamp(ingest.producerStart()).build())
        .build();
    String media = mediaPlaylistUrl(hlsClient(STREAM).getHLSStreamingSessionURL(r -> r
        .streamName(STREAM).playbackMode(HLSPlaybackMode.LIVE_REPLAY)
        .hlsFragmentSelector(fromStart).maxMediaPlaylistFragmentResults(20L))
        .hlsStreamingSessionURL());

    String first = get(media).body();
    Streams.sleep(1_500);
    String later = get(media).body();

    long firstCount = first.lines().filter(l -> l.startsWith("#EXTINF:")).count();
    long laterCount = later.lines().filter(l -> l.startsWith("#EXTINF:")).count();
    assertThat(firstCount).isBetween(1L, 2L);
    assertThat(laterCount).isGreaterThan(firstCount)
        .isLessThan(Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size());
    assertThat(later).doesNotContain("#EXT-X-ENDLIST");
  }

  /** An AAC-only upload plays through HLS: every coded audio packet of the source, unchanged. */
  @Test
  void hlsOnDemand_audioOnlyStream_ffmpegReadsEverySourcePacket() throws Exception {
    String stream = "hls-aac-only";
    Streams.create(kv, stream, 24);
    java.nio.file.Path mkv = java.nio.file.Files.createTempFile("framekeep-aac-", ".mkv");
    try {
      Ffmpeg.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
          "sine=frequency=440:sample_rate=48000", "-t", "4", "-c:a", "aac", "-b:a", "64k",
          "-f", "matroska", "-live", "1", "-cluster_time_limit", "1000", mkv.toString());
      Streams.Ingest aac = Streams.ingest(kv, stream,
          new ByteArrayInputStream(java.nio.file.Files.readAllBytes(mkv)));
      String url = hlsClient(stream).getHLSStreamingSessionURL(r -> r.streamName(stream)
          .playbackMode(HLSPlaybackMode.ON_DEMAND).hlsFragmentSelector(HLSFragmentSelector
              .builder().fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
              .timestampRange(HLSTimestampRange.builder().startTimestamp(aac.producerStart())
                  .endTimestamp(aac.producerStart().plusSeconds(5)).build()).build()))
          .hlsStreamingSessionURL();

      assertThat(get(url).body()).contains("CODECS=\"mp4a.40.2\"").doesNotContain("RESOLUTION");
      String played = Ffmpeg.run("ffmpeg", "-nostdin", "-v", "error", "-i", url, "-map", "0:a:0",
          "-c", "copy", "-f", "framemd5", "-");
      assertThat(hashes(played)).containsExactlyElementsOf(
          Ffmpeg.hashes(Ffmpeg.audioPackets(mkv)));
    } finally {
      java.nio.file.Files.deleteIfExists(mkv);
    }
  }

  private static List<String> hashes(String framemd5) {
    return Arrays.stream(framemd5.split("\n")).filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
  }

  @Test
  void sessionResources_forgedOrMissingToken_forbidden() {
    String url = onDemandHlsUrl(false);
    String token = url.substring(url.indexOf("SessionToken=") + "SessionToken=".length());
    char last = token.charAt(token.length() - 1);
    String forged = url.substring(0, url.length() - 1) + (last == 'A' ? 'B' : 'A');
    String payloadForged = url.replace("SessionToken=" + token.charAt(0),
        "SessionToken=" + (token.charAt(0) == 'A' ? 'B' : 'A'));

    assertThat(get(url).statusCode()).isEqualTo(200);
    assertThat(get(forged).statusCode()).isEqualTo(403);
    assertThat(get(payloadForged).statusCode()).isEqualTo(403);
    assertThat(get(url.substring(0, url.indexOf('?'))).statusCode()).isEqualTo(403);
    assertThat(get(SERVER.baseUrl() + "/hls/v1/getMP4MediaFragment.mp4?FragmentNumber=0")
        .statusCode()).isEqualTo(403);
  }

  /**
   * GetDASHManifest is limited to 5 requests per second per session (spec §5.2; a 2 s burst): a
   * client fetching it in a tight loop is refused with ClientLimitExceededException once the
   * burst is spent, while another session of the same stream is still served.
   */
  @Test
  void dashManifest_overFivePerSecondInASession_clientLimitExceededForThatSessionOnly() {
    String url = onDemandDashUrl(60, DASHDisplayFragmentNumber.NEVER,
        DASHDisplayFragmentTimestamp.NEVER);
    for (int i = 0; i < 10; i++) {
      assertThat(get(url).statusCode()).as("request %d, within the burst", i + 1).isEqualTo(200);
    }
    HttpResponse<String> refused = null;
    for (int i = 0; i < 50 && refused == null; i++) {
      HttpResponse<String> r = get(url);
      if (r.statusCode() != 200) {
        refused = r;
      }
    }

    assertThat(refused).as("a refusal within 50 more back-to-back requests").isNotNull();
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("ClientLimitExceededException")
        .contains("GetDASHManifest requests per session");
    String other = onDemandDashUrl(60, DASHDisplayFragmentNumber.NEVER,
        DASHDisplayFragmentTimestamp.NEVER);
    assertThat(get(other).statusCode()).as("another session").isEqualTo(200);
  }

  @Test
  void hlsOnDemand_noFragmentsInRange_resourceNotFound() {
    HLSFragmentSelector before = HLSFragmentSelector.builder()
        .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
        .timestampRange(HLSTimestampRange.builder()
            .startTimestamp(ingest.producerStart().minusSeconds(100))
            .endTimestamp(ingest.producerStart().minusSeconds(50)).build())
        .build();

    assertThatThrownBy(() -> hlsClient(STREAM).getHLSStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(HLSPlaybackMode.ON_DEMAND).hlsFragmentSelector(before)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void hlsLiveAndDashOnDemand_streamWithoutFragments_resourceNotFound() {
    String empty = "hls-dash-empty";
    Streams.create(kv, empty, 24);

    assertThatThrownBy(() -> hlsClient(empty).getHLSStreamingSessionURL(r -> r.streamName(empty)
        .playbackMode(HLSPlaybackMode.LIVE)))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> dashClient(empty).getDASHStreamingSessionURL(r -> r.streamName(empty)
        .playbackMode(DASHPlaybackMode.LIVE)))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void getSessionUrl_badArguments_invalidArgument() {
    assertThatThrownBy(() -> hlsClient(STREAM).getHLSStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(HLSPlaybackMode.ON_DEMAND).hlsFragmentSelector(wholeIngestHls())
        .expires(299)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> dashClient(STREAM).getDASHStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(DASHPlaybackMode.ON_DEMAND)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> hlsClient(STREAM).getHLSStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(HLSPlaybackMode.LIVE).hlsFragmentSelector(wholeIngestHls())))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> hlsClient(STREAM).getHLSStreamingSessionURL(r -> r.streamName(STREAM)
        .playbackMode(HLSPlaybackMode.ON_DEMAND).hlsFragmentSelector(wholeIngestHls())
        .maxMediaPlaylistFragmentResults(5001L)))
        .isInstanceOf(InvalidArgumentException.class);
  }
}
