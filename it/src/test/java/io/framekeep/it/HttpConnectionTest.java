package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.ServiceLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHTimestampRange;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSTimestampRange;

/**
 * What goes on the wire of one connection, read byte by byte from a plain socket: a {@code Date}
 * header on every kind of response, {@code Connection: close} and HTTP/1.0 ending the connection
 * after the answer (PutMedia's chunked ack stream included), keep-alive reuse across every kind of
 * answer, {@code Expect: 100-continue} and a {@code Host} without a port, and pipelined requests
 * answered completely and in request order (RFC 9112 §9.3.2). Signatures are off: they are not
 * what is tested here.
 */
class HttpConnectionTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withNoAuth().withLimits(ServiceLimits.awsDefaults().withFragmentQuotas(false, 1, 1)));
  private static final String STREAM = "wire";
  /** RFC 9110 §5.6.7 IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  private static final Pattern IMF_FIXDATE = Pattern.compile(
      "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
          + " \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
  /** How far a Date may be from the test's clock: the server runs on the same clock. */
  private static final Duration DATE_TOLERANCE = Duration.ofSeconds(5);
  /** A connection the server should close is closed well within this. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  /** A connection the server should keep is checked open for this long. */
  private static final Duration KEEP_WAIT = Duration.ofMillis(500);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  private static Streams.Ingest ingest;
  private static KinesisVideoClient kv;

  @BeforeAll
  static void upload() {
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    Streams.awaitFragments(SERVER.archivedMedia(
            Streams.dataEndpoint(kv, STREAM, APIName.LIST_FRAGMENTS)), STREAM,
        Streams.wholeIngestByProducerTime(ingest),
        Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size());
  }

  private static URI base() {
    return URI.create(SERVER.baseUrl());
  }

  private static String host() {
    return base().getHost() + ":" + base().getPort();
  }

  private static String getClipJson() {
    return "{\"StreamName\":\"" + STREAM + "\",\"ClipFragmentSelector\":{\"FragmentSelectorType\":"
        + "\"PRODUCER_TIMESTAMP\",\"TimestampRange\":{\"StartTimestamp\":"
        + ingest.producerStart().getEpochSecond() + ",\"EndTimestamp\":"
        + (ingest.producerStart().getEpochSecond() + TestMedia.DURATION_SECONDS + 1) + "}}}";
  }

  private static String getMediaJson() {
    return "{\"StreamName\":\"" + STREAM + "\",\"StartSelector\":{\"StartSelectorType\":"
        + "\"EARLIEST\"}}";
  }

  private static void assertDateNow(String what, String date) {
    assertThat(date).as("Date of %s", what).isNotNull().matches(IMF_FIXDATE);
    Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    assertThat(Duration.between(sent, Instant.now()).abs()).as("Date of %s", what)
        .isLessThan(DATE_TOLERANCE);
  }

  private static HttpResponse<byte[]> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The first URI line of a playlist or the first media URL in it, resolved. */
  private static String firstUri(String playlistUrl, String body) {
    String line = body.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst()
        .orElseThrow();
    return URI.create(playlistUrl).resolve(line).toString();
  }

  @Test
  void date_everyKindOfResponse_isCurrentImfFixdate() throws Exception {
    List<String> checked = new ArrayList<>();
    try (RawHttp c = new RawHttp(base())) {
      String[][] requests = {
          {"health", RawHttp.get("/health", host())},
          {"metrics", RawHttp.get("/metrics", host())},
          {"ListStreams 200", RawHttp.jsonPost("/listStreams", host(), "{}")},
          {"DescribeStream 404",
              RawHttp.jsonPost("/describeStream", host(), "{\"StreamName\":\"none\"}")},
          {"unknown operation", RawHttp.jsonPost("/noSuchOperation", host(), "{}")},
          {"malformed JSON 400", RawHttp.jsonPost("/listStreams", host(), "{")},
          {"GetClip", RawHttp.jsonPost("/getClip", host(), getClipJson())},
          {"CORS preflight", "OPTIONS /getClip HTTP/1.1\r\nHost: " + host() + "\r\n"
              + "Origin: http://example.com\r\nAccess-Control-Request-Method: POST\r\n\r\n"},
      };
      for (String[] r : requests) {
        c.write(r[1]);
        RawHttp.Response response = c.read();
        assertDateNow(r[0] + " (" + response.statusLine() + ")", response.header("Date"));
        checked.add(r[0]);
      }
    }
    String hls = SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM,
            APIName.GET_HLS_STREAMING_SESSION_URL))
        .getHLSStreamingSessionURL(r -> r.streamName(STREAM)
            .playbackMode(HLSPlaybackMode.ON_DEMAND)
            .hlsFragmentSelector(HLSFragmentSelector.builder()
                .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(HLSTimestampRange.builder()
                    .startTimestamp(ingest.producerStart())
                    .endTimestamp(ingest.producerStart().plusSeconds(60)).build()).build()))
        .hlsStreamingSessionURL();
    HttpResponse<byte[]> master = get(hls);
    assertDateNow("HLS master playlist", master.headers().firstValue("date").orElse(null));
    String mediaUrl = firstUri(hls, new String(master.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> media = get(mediaUrl);
    assertDateNow("HLS media playlist", media.headers().firstValue("date").orElse(null));
    HttpResponse<byte[]> segment =
        get(firstUri(mediaUrl, new String(media.body(), StandardCharsets.UTF_8)));
    assertThat(segment.statusCode()).isEqualTo(200);
    assertDateNow("HLS segment", segment.headers().firstValue("date").orElse(null));
    String dash = SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM,
            APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(STREAM)
            .playbackMode(DASHPlaybackMode.ON_DEMAND)
            .dashFragmentSelector(DASHFragmentSelector.builder()
                .fragmentSelectorType(DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(DASHTimestampRange.builder()
                    .startTimestamp(ingest.producerStart())
                    .endTimestamp(ingest.producerStart().plusSeconds(60)).build()).build()))
        .dashStreamingSessionURL();
    HttpResponse<byte[]> manifest = get(dash);
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertDateNow("DASH manifest", manifest.headers().firstValue("date").orElse(null));
    HttpResponse<byte[]> expired = get(dash.replaceAll("SessionToken=[^&]+", "SessionToken=x"));
    assertThat(expired.statusCode()).isGreaterThanOrEqualTo(400);
    assertDateNow("playback error", expired.headers().firstValue("date").orElse(null));
    assertThat(checked).hasSize(8);
  }

  @Test
  void liveDashManifest_utcTiming_namesTimeEndpointThatAnswersNow() throws Exception {
    String dash = SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM,
            APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(STREAM).playbackMode(DASHPlaybackMode.LIVE))
        .dashStreamingSessionURL();
    String mpd = new String(get(dash).body(), StandardCharsets.UTF_8);
    java.util.regex.Matcher timing = Pattern.compile(
        "<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-iso:2014\" value=\"([^\"]+)\"/>")
        .matcher(mpd);
    assertThat(timing.find()).as(mpd).isTrue();
    assertThat(timing.group(1)).isEqualTo(SERVER.baseUrl() + "/time");

    HttpResponse<byte[]> time = HTTP.send(HttpRequest.newBuilder(URI.create(timing.group(1)))
        .header("Origin", "http://player.example").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(time.statusCode()).isEqualTo(200);
    assertThat(time.headers().firstValue("access-control-allow-origin")).hasValue("*");
    Instant served = Instant.parse(new String(time.body(), StandardCharsets.US_ASCII));
    assertThat(Duration.between(served, Instant.now()).abs()).isLessThan(DATE_TOLERANCE);
  }

  @Test
  void playbackSession_streamDeleted_everyResourceIsResourceNotFound404() throws Exception {
    String name = "wire-deleted";
    Streams.create(kv, name, 24);
    Streams.Ingest uploaded = Streams.ingestTestMedia(kv, name);
    Streams.awaitFragments(SERVER.archivedMedia(
            Streams.dataEndpoint(kv, name, APIName.LIST_FRAGMENTS)), name,
        Streams.wholeIngestByProducerTime(uploaded),
        Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size());
    String hls = SERVER.archivedMedia(Streams.dataEndpoint(kv, name,
            APIName.GET_HLS_STREAMING_SESSION_URL))
        .getHLSStreamingSessionURL(r -> r.streamName(name)
            .playbackMode(HLSPlaybackMode.ON_DEMAND)
            .hlsFragmentSelector(HLSFragmentSelector.builder()
                .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(HLSTimestampRange.builder()
                    .startTimestamp(uploaded.producerStart())
                    .endTimestamp(uploaded.producerStart().plusSeconds(60)).build()).build()))
        .hlsStreamingSessionURL();
    String dash = SERVER.archivedMedia(Streams.dataEndpoint(kv, name,
            APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(name)
            .playbackMode(DASHPlaybackMode.ON_DEMAND)
            .dashFragmentSelector(DASHFragmentSelector.builder()
                .fragmentSelectorType(DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(DASHTimestampRange.builder()
                    .startTimestamp(uploaded.producerStart())
                    .endTimestamp(uploaded.producerStart().plusSeconds(60)).build()).build()))
        .dashStreamingSessionURL();
    String mediaPlaylist = firstUri(hls, new String(get(hls).body(), StandardCharsets.UTF_8));
    String playlistText = new String(get(mediaPlaylist).body(), StandardCharsets.UTF_8);
    Pattern mapUri = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");
    java.util.regex.Matcher map = mapUri.matcher(playlistText);
    assertThat(map.find()).as(playlistText).isTrue();
    List<String> urls = List.of(hls, mediaPlaylist,
        URI.create(mediaPlaylist).resolve(map.group(1)).toString(),
        firstUri(mediaPlaylist, playlistText), dash);
    for (String url : urls) {
      assertThat(get(url).statusCode()).as("before the delete: %s", url).isEqualTo(200);
    }

    kv.deleteStream(r -> r.streamARN(kv.describeStream(d -> d.streamName(name))
        .streamInfo().streamARN()));

    for (String url : urls) {
      HttpResponse<byte[]> r = get(url);
      assertThat(r.statusCode()).as(url).isEqualTo(404);
      assertThat(r.headers().firstValue("x-amzn-ErrorType").orElse(""))
          .startsWith("ResourceNotFoundException");
    }
  }

  @Test
  void putMedia_connectionClose_ackStreamThenDateAndConnectionClosed() throws Exception {
    Streams.create(kv, "wire-close", 24);
    try (RawHttp c = new RawHttp(base())) {
      c.write(putMediaHead("wire-close", "Connection: close"));
      c.write(TestMedia.h264AacBytes());
      RawHttp.Response response = c.read();

      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      assertThat(response.bodyText()).contains("\"PERSISTED\"");
      assertDateNow("PutMedia", response.header("Date"));
      assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(c.awaitClosed(CLOSE_WAIT)).as("closed after the last ack").isTrue();
    }
  }

  @Test
  void putMedia_expectContinueAndHostWithoutPort_acksAndKeepsConnection() throws Exception {
    Streams.create(kv, "wire-continue", 24);
    try (RawHttp c = new RawHttp(base())) {
      c.write(putMediaHead("wire-continue", "Expect: 100-continue")
          .replace("Host: " + host(), "Host: " + base().getHost()));
      RawHttp.Response interim = c.read();
      assertThat(interim.status()).isEqualTo(100);
      c.write(TestMedia.h264AacBytes());
      RawHttp.Response response = c.read();

      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      assertThat(response.bodyText()).contains("\"PERSISTED\"");
      c.write(RawHttp.get("/health", base().getHost()));
      assertThat(c.read().status()).isEqualTo(200);
    }
  }

  private static String putMediaHead(String stream, String extraHeader) {
    long ms = Instant.now().toEpochMilli();
    return "POST /putMedia HTTP/1.1\r\nHost: " + host() + "\r\n"
        + "Content-Length: " + TestMedia.h264AacBytes().length + "\r\n"
        + "x-amzn-stream-name: " + stream + "\r\n"
        + "x-amzn-fragment-timecode-type: RELATIVE\r\n"
        + "x-amzn-fragment-acknowledgment-required: 1\r\n"
        + String.format(Locale.ROOT, "x-amzn-producer-start-timestamp: %d.%03d\r\n",
            ms / 1000, ms % 1000)
        + extraHeader + "\r\n\r\n";
  }

  @Test
  void connectionClose_eachKindOfAnswer_closedAfterIt() throws Exception {
    String[] requests = {
        RawHttp.get("/health", host(), "Connection: close"),
        RawHttp.jsonPost("/listStreams", host(), "{}", "Connection: close"),
        RawHttp.jsonPost("/describeStream", host(), "{\"StreamName\":\"none\"}",
            "Connection: close"),
        RawHttp.jsonPost("/getClip", host(), getClipJson(), "Connection: close"),
    };
    for (String request : requests) {
      try (RawHttp c = new RawHttp(base())) {
        c.write(request);
        RawHttp.Response response = c.read();

        assertThat(response.header("Connection")).as(response.statusLine())
            .isEqualToIgnoringCase("close");
        assertThat(c.awaitClosed(CLOSE_WAIT)).as(request.lines().findFirst().orElseThrow())
            .isTrue();
      }
    }
  }

  @Test
  void http10_withoutKeepAlive_closed_withKeepAlive_kept() throws Exception {
    try (RawHttp c = new RawHttp(base())) {
      c.write("GET /health HTTP/1.0\r\nHost: " + host() + "\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
    }
    try (RawHttp c = new RawHttp(base())) {
      c.write(RawHttp.jsonPost("/listStreams", host(), "{}", "Connection: keep-alive")
          .replace("HTTP/1.1", "HTTP/1.0"));
      RawHttp.Response response = c.read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Connection")).isEqualToIgnoringCase("keep-alive");
      assertThat(c.awaitClosed(KEEP_WAIT)).isFalse();
    }
  }

  @Test
  void keepAlive_everyKindOfAnswer_connectionReused() throws Exception {
    try (RawHttp c = new RawHttp(base())) {
      String[] requests = {
          RawHttp.jsonPost("/listStreams", host(), "{}"),
          RawHttp.jsonPost("/describeStream", host(), "{\"StreamName\":\"none\"}"),
          RawHttp.jsonPost("/noSuchOperation", host(), "{}"),
          RawHttp.jsonPost("/getClip", host(), getClipJson()),
          RawHttp.get("/metrics", host()),
          RawHttp.get("/health", host()),
      };
      for (String request : requests) {
        c.write(request);
        RawHttp.Response response = c.read();
        assertThat(response.header("Connection")).as(response.statusLine()).isNull();
      }
      assertThat(c.awaitClosed(KEEP_WAIT)).isFalse();
      c.write(RawHttp.get("/health", host()));
      assertThat(c.read().bodyText()).isEqualTo("ok\n");
    }
  }

  @Test
  void pipelined_clipMediaListHealthClose_everyAnswerInRequestOrder() throws Exception {
    try (RawHttp c = new RawHttp(base())) {
      c.write(RawHttp.jsonPost("/getClip", host(), getClipJson())
          + RawHttp.jsonPost("/getMedia", host(), getMediaJson())
          + RawHttp.jsonPost("/listStreams", host(), "{}")
          + RawHttp.get("/health", host())
          + RawHttp.jsonPost("/describeStream", host(), "{\"StreamName\":\"" + STREAM + "\"}",
              "Connection: close"));

      RawHttp.Response clip = c.read();
      assertThat(clip.status()).as(clip.bodyText()).isEqualTo(200);
      assertThat(clip.header("Content-Type")).isEqualTo("video/mp4");
      assertThat(clip.body().length).isEqualTo(Integer.parseInt(clip.header("Content-Length")));
      RawHttp.Response media = c.read();
      assertThat(media.status()).isEqualTo(200);
      assertThat(media.header("Content-Type")).isEqualTo("video/webm");
      assertThat(media.body().length).isGreaterThan(TestMedia.h264AacBytes().length / 2);
      RawHttp.Response list = c.read();
      assertThat(list.bodyText()).startsWith("{\"StreamInfoList\"").contains(STREAM);
      assertThat(c.read().bodyText()).isEqualTo("ok\n");
      RawHttp.Response describe = c.read();
      assertThat(describe.bodyText()).startsWith("{\"StreamInfo\"");
      assertThat(c.awaitClosed(CLOSE_WAIT)).isTrue();
    }
  }
}
