package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.it.PutMediaClient.Ack;
import io.framekeep.server.tls.TlsOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideo.model.StreamInfo;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideomedia.model.StartSelectorType;

/**
 * Every SDK path over HTTPS, with plain HTTP served on another port of the same server at the
 * same time: the AWS SDK v2 clients trust the test certificate (made by openssl) and do the
 * control plane, PutMedia (streaming acks), ListFragments, GetClip (frame hashes against the
 * source, and byte-for-byte against the same clip over plain HTTP, which is sent with sendfile),
 * GetMedia and an HLS session whose URL, playlists and segments are all HTTPS.
 */
class HttpsEndToEndTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withTls(TlsOptions.pem(TestTls.shared().cert(), TestTls.shared().key()).onPort(0)))
      .clientsOverHttps();
  private static final String STREAM = "https-h264-aac";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path tmp;

  private static KinesisVideoClient kv;
  private static Streams.Ingest ingest;
  private static List<Long> clusterTimecodesMs;
  private static List<Fragment> fragments;

  @BeforeAll
  static void uploadOverHttps() {
    assertThat(SERVER.baseUrl()).startsWith("https://127.0.0.1:");
    assertThat(SERVER.httpUrl()).startsWith("http://127.0.0.1:");
    clusterTimecodesMs = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac());
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    fragments = Streams.awaitFragments(archived(APIName.LIST_FRAGMENTS), STREAM,
        Streams.wholeIngestByProducerTime(ingest), clusterTimecodesMs.size());
  }

  private static KinesisVideoArchivedMediaClient archived(APIName api) {
    return SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, api));
  }

  @Test
  void controlPlane_overHttps_describesAndListsTheStream() {
    StreamInfo info = kv.describeStream(r -> r.streamName(STREAM)).streamInfo();
    assertThat(info.dataRetentionInHours()).isEqualTo(24);
    assertThat(kv.listStreams(r -> {}).streamInfoList()).extracting(StreamInfo::streamName)
        .contains(STREAM);
  }

  @Test
  void getDataEndpoint_overHttps_returnsTheHttpsListenersUrl() {
    for (APIName api : List.of(APIName.PUT_MEDIA, APIName.GET_CLIP, APIName.GET_MEDIA,
        APIName.GET_HLS_STREAMING_SESSION_URL, APIName.LIST_FRAGMENTS)) {
      assertThat(Streams.dataEndpoint(kv, STREAM, api).toString()).as(api.toString())
          .isEqualTo(SERVER.httpsUrl());
    }
  }

  @Test
  void getDataEndpoint_overPlainHttpOfTheSameServer_returnsThePlainUrl() {
    KinesisVideoClient plain = SERVER.kinesisVideoAt(URI.create(SERVER.httpUrl()));
    assertThat(Streams.dataEndpoint(plain, STREAM, APIName.GET_CLIP).toString())
        .isEqualTo(SERVER.httpUrl());
  }

  @Test
  void putMedia_overHttps_streamsBufferingReceivedPersistedAckForEveryCluster() {
    PutMediaClient.Response response = ingest.response();
    assertThat(response.acks("ERROR")).isEmpty();
    for (String type : List.of("BUFFERING", "RECEIVED", "PERSISTED")) {
      assertThat(response.acks(type)).as(type + " timecodes")
          .extracting(Ack::fragmentTimecode).containsExactlyElementsOf(clusterTimecodesMs);
    }
  }

  @Test
  void putMedia_overHttps_persistedAckArrivesWhileTheBodyIsStillOpen() throws Exception {
    String stream = "https-acks-while-uploading";
    Streams.create(kv, stream, 24);
    byte[] media = TestMedia.h264AacBytes();
    CountDownLatch rest = new CountDownLatch(1);
    InputStream body = new SequenceInputStream(
        new ByteArrayInputStream(media, 0, media.length / 2),
        new InputStream() {
          private final InputStream tail =
              new ByteArrayInputStream(media, media.length / 2, media.length - media.length / 2);

          @Override
          public int read() throws IOException {
            awaitRest();
            return tail.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            awaitRest();
            return tail.read(b, off, len);
          }

          private void awaitRest() throws IOException {
            try {
              rest.await();
            } catch (InterruptedException e) {
              throw new java.io.InterruptedIOException();
            }
          }
        });
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, body, Instant.now())) {
      Ack persisted = upload.awaitAck(a -> "PERSISTED".equals(a.eventType()), READ_TIMEOUT);
      assertThat(rest.getCount()).as("body still held back").isEqualTo(1);
      assertThat(persisted.fragmentNumber()).matches("[0-9]{47}");
      rest.countDown();
      PutMediaClient.Response response = upload.await(READ_TIMEOUT);
      assertThat(response.acks("PERSISTED")).hasSize(clusterTimecodesMs.size());
    } finally {
      rest.countDown();
    }
  }

  @Test
  void listFragments_overHttps_listsEveryPersistedFragment() {
    List<String> persisted =
        ingest.response().acks("PERSISTED").stream().map(Ack::fragmentNumber).toList();
    List<Fragment> listed = Streams.listAll(archived(APIName.LIST_FRAGMENTS), STREAM,
        Streams.selector(FragmentSelectorType.SERVER_TIMESTAMP,
            ingest.serverBefore().minusSeconds(1), ingest.serverAfter().plusSeconds(1)), 4);
    assertThat(listed).extracting(Fragment::fragmentNumber).containsExactlyElementsOf(persisted);
  }

  @Test
  void getClip_overHttps_framesEqualSourceAndBytesEqualThePlainHttpClip() throws Exception {
    Path overHttps = clip(URI.create(SERVER.httpsUrl()), "https.mp4");
    Path overHttp = clip(URI.create(SERVER.httpUrl()), "http.mp4");

    assertThat(Files.size(overHttps)).isPositive();
    assertThat(Files.mismatch(overHttps, overHttp)).as("first differing byte").isEqualTo(-1L);
    assertThat(Ffmpeg.decodeErrors(overHttps)).isEmpty();
    List<String> source = Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac()));
    List<String> clip = Ffmpeg.hashes(Ffmpeg.videoFrames(overHttps));
    MediaAsserts.assertFramesEqualSource(clip, source, 0, TestMedia.VIDEO_FRAME_COUNT);
  }

  private static Path clip(URI endpoint, String name) {
    Path file = tmp.resolve(name);
    SERVER.archivedMedia(endpoint).getClip(r -> r.streamName(STREAM)
            .clipFragmentSelector(s -> s
                .fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(ingest.serverBefore().minusSeconds(1))
                    .endTimestamp(Instant.now()))),
        ResponseTransformer.toFile(file));
    return file;
  }

  @Test
  void getMedia_overHttps_everyFragmentInOrderWithEveryVideoFrame() throws Exception {
    try (GetMediaTest.ChunkReading reading = new GetMediaTest.ChunkReading(
        SERVER.media(Streams.dataEndpoint(kv, STREAM, APIName.GET_MEDIA)).getMedia(r -> r
            .streamName(STREAM).startSelector(s -> s.startSelectorType(StartSelectorType.EARLIEST))))) {
      List<String> read = reading.awaitComplete(fragments.size(), READ_TIMEOUT).stream()
          .map(m -> m.getFragmentNumberString()).toList();
      assertThat(read).containsExactlyElementsOf(
          fragments.stream().map(Fragment::fragmentNumber).toList());
      assertThat(reading.collector.totalFrames("V_MPEG4/ISO/AVC"))
          .isEqualTo(TestMedia.VIDEO_FRAME_COUNT);
    }
  }

  @Test
  void hlsSession_overHttps_httpsUrlWhosePlaylistsAndSegmentsDecode() throws Exception {
    String url = archived(APIName.GET_HLS_STREAMING_SESSION_URL).getHLSStreamingSessionURL(r -> r
        .streamName(STREAM).playbackMode(HLSPlaybackMode.ON_DEMAND)
        .hlsFragmentSelector(s -> s.fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                .endTimestamp(ingest.producerStart().plusSeconds(3600)))))
        .hlsStreamingSessionURL();
    assertThat(url).startsWith(SERVER.httpsUrl() + "/hls/v1/getHLSMasterPlaylist.m3u8?");

    HttpClient http = HttpClient.newBuilder()
        .sslContext(TestTls.shared().sslContext())
        .build();
    URI master = URI.create(url);
    String masterText = get(http, master);
    URI media = master.resolve(lastUriLine(masterText));
    String mediaText = get(http, media);
    List<String> uris = mediaText.lines().filter(l -> l.startsWith("getMP4MediaFragment"))
        .toList();
    assertThat(uris).hasSize(fragments.size());
    String init = mediaText.lines().filter(l -> l.startsWith("#EXT-X-MAP:URI=\"")).findFirst()
        .orElseThrow().replaceAll("^#EXT-X-MAP:URI=\"([^\"]+)\".*$", "$1");
    Path segment = tmp.resolve("first-segment.mp4");
    Files.write(segment, http.send(HttpRequest.newBuilder(media.resolve(init)).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body());
    Files.write(segment, http.send(HttpRequest.newBuilder(media.resolve(uris.get(0))).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body(), java.nio.file.StandardOpenOption.APPEND);
    assertThat(Ffmpeg.decodeErrors(segment)).isEmpty();
    List<String> source = Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac()));
    List<String> decoded = Ffmpeg.hashes(Ffmpeg.videoFrames(segment));
    assertThat(decoded).isNotEmpty().isEqualTo(source.subList(0, decoded.size()));
  }

  @Test
  void dashSession_overHttps_httpsUrlWhoseManifestListsEveryFragment() throws Exception {
    String url = archived(APIName.GET_DASH_STREAMING_SESSION_URL).getDASHStreamingSessionURL(r -> r
        .streamName(STREAM).playbackMode(DASHPlaybackMode.ON_DEMAND)
        .dashFragmentSelector(s -> s.fragmentSelectorType(DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                .endTimestamp(ingest.producerStart().plusSeconds(3600)))))
        .dashStreamingSessionURL();
    assertThat(url).startsWith(SERVER.httpsUrl() + "/dash/v1/getDASHManifest.mpd?");

    HttpClient http = HttpClient.newBuilder().sslContext(TestTls.shared().sslContext()).build();
    String manifest = get(http, URI.create(url));
    assertThat(manifest).contains("<MPD", "type=\"static\"");
    assertThat(manifest.split("<S ", -1).length - 1).as("timeline entries, video and audio")
        .isEqualTo(2 * fragments.size());
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", uri, response.body()).isEqualTo(200);
    return response.body();
  }

  private static String lastUriLine(String playlist) {
    return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .reduce((a, b) -> b).orElseThrow();
  }
}
