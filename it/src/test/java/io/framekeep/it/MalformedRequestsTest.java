package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.ServiceLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelector;

/**
 * Every operation fed seeded random requests: JSON objects made of the field names of all the AWS
 * request shapes with values of every JSON type (right and wrong types, out-of-range numbers, long
 * strings, nesting), naming a stream that has media so that handlers get past the lookup, plus
 * bytes that are not JSON. No request may get a 500 or an answer without an AWS error type: each
 * is either served or refused with a 4xx AWS error. Signatures are off here (the signed path is
 * covered by {@link AuthTest}) and quotas too, so that the handlers themselves are reached.
 */
class MalformedRequestsTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withNoAuth().withLimits(ServiceLimits.awsDefaults().withFragmentQuotas(false, 1, 1)));
  /** Used, then changed and deleted, by the random operations. */
  private static final String STREAM = "malformed";
  /** Only read, by the playback requests. */
  private static final String PLAYBACK_STREAM = "malformed-playback";
  private static final long SEED = 20261126L;
  private static final int REQUESTS_PER_OPERATION = 150;
  /** Reads first, then the operations that change or delete the stream, which end its use. */
  private static final List<String> OPERATIONS = List.of("/describeStream", "/listStreams",
      "/getDataEndpoint", "/listTagsForStream", "/ListTagsForResource",
      "/describeStreamStorageConfiguration", "/listFragments", "/getClip", "/getImages",
      "/getMedia", "/getMediaForFragmentList", "/getHLSStreamingSessionURL",
      "/getDASHStreamingSessionURL", "/getCoverage", "/exportClip", "/createStream", "/tagStream", "/untagStream",
      "/TagResource", "/UntagResource", "/updateStream", "/updateStreamStorageConfiguration",
      "/updateDataRetention", "/deleteStream",
      // Last: appended, so that the seeded requests of the operations above stay unchanged.
      "/getIngestRate");
  /** Field names of the request shapes of every modelled operation. */
  private static final List<String> FIELDS = List.of("StreamName", "StreamARN", "MaxResults",
      "NextToken", "FragmentSelector", "FragmentSelectorType", "TimestampRange", "StartTimestamp",
      "EndTimestamp", "ClipFragmentSelector", "StartSelector", "StartSelectorType",
      "AfterFragmentNumber", "ContinuationToken", "Fragments", "DataRetentionInHours",
      "CurrentVersion", "Operation", "DataRetentionChangeInHours", "Tags", "TagKeyList",
      "ResourceARN", "APIName", "StreamNameCondition", "ComparisonOperator", "ComparisonValue",
      "PlaybackMode", "HLSFragmentSelector", "DASHFragmentSelector", "ContainerFormat",
      "DiscontinuityMode", "DisplayFragmentTimestamp", "DisplayFragmentNumber", "Expires",
      "MaxMediaPlaylistFragmentResults", "MaxManifestFragmentResults", "ImageSelectorType",
      "SamplingInterval", "Format", "FormatConfig", "WidthPixels", "HeightPixels", "DeviceName",
      "MediaType", "KmsKeyId", "StreamStorageConfiguration", "DefaultStorageTier",
      "TimestampType", "BucketSizeInMillis", "GapToleranceInMillis", "MaxSpans");
  private static final List<String> WORDS = List.of(STREAM, "PRODUCER_TIMESTAMP",
      "SERVER_TIMESTAMP", "EARLIEST", "NOW", "FRAGMENT_NUMBER", "CONTINUATION_TOKEN", "LIVE",
      "ON_DEMAND", "LIVE_REPLAY", "JPEG", "PNG", "GET_CLIP", "PUT_MEDIA", "BEGINS_WITH",
      "INCREASE_DATA_RETENTION", "HOT", "WARM", "MPEG_TS", "ALWAYS", "NEVER", "JPEGQuality",
      "91343852333181432392682062607743920146264345616", "", " ", "\u0000", "é", "../x");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static String streamArn;

  @BeforeAll
  static void uploadMedia() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    streamArn = Streams.create(kv, STREAM, 24);
    Streams.ingestTestMedia(kv, STREAM);
    Streams.create(kv, PLAYBACK_STREAM, 24);
    Streams.ingestTestMedia(kv, PLAYBACK_STREAM);
  }

  @Test
  void randomRequests_everyOperation_servedOrRefusedWithAnAwsClientError() throws Exception {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (String operation : OPERATIONS) {
      for (int i = 0; i < REQUESTS_PER_OPERATION; i++) {
        byte[] body = i % 10 == 9 ? garbage(random)
            : object(random, 0).getBytes(StandardCharsets.UTF_8);
        String problem = send(operation, body, outcomes);
        if (problem != null) {
          failures.add(operation + " " + new String(body, StandardCharsets.UTF_8) + " -> "
              + problem);
        }
      }
    }
    assertThat(failures).as("requests answered with a server error or no AWS error type")
        .isEmpty();
    System.out.println("malformed requests: outcomes " + outcomes);
    assertThat(outcomes.getOrDefault("200", 0)).as("requests that got past validation and were"
        + " served, so handlers were reached: %s", outcomes).isGreaterThan(50);
    assertThat(outcomes).as("distinct refusals").hasSizeGreaterThan(5);
  }

  /**
   * The session-token GET resources of HLS (both containers) and DASH with random query values:
   * fragment and track numbers of every shape, repeated or missing parameters, another session's
   * token. Each answer is a success or a 4xx AWS error.
   */
  @Test
  void randomPlaybackQueries_servedOrRefusedWithAnAwsClientError() throws Exception {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    var am = SERVER.archivedMedia(Streams.dataEndpoint(kv, PLAYBACK_STREAM,
        APIName.GET_HLS_STREAMING_SESSION_URL));
    HLSFragmentSelector range = HLSFragmentSelector.builder()
        .fragmentSelectorType("SERVER_TIMESTAMP").timestampRange(t -> t
            .startTimestamp(Instant.now().minusSeconds(3600))
            .endTimestamp(Instant.now())).build();
    List<String> sessions = List.of(
        am.getHLSStreamingSessionURL(r -> r.streamName(PLAYBACK_STREAM).playbackMode("ON_DEMAND")
            .hlsFragmentSelector(range)).hlsStreamingSessionURL(),
        am.getHLSStreamingSessionURL(r -> r.streamName(PLAYBACK_STREAM).playbackMode("ON_DEMAND")
            .containerFormat("MPEG_TS").hlsFragmentSelector(range)).hlsStreamingSessionURL(),
        am.getDASHStreamingSessionURL(r -> r.streamName(PLAYBACK_STREAM).playbackMode("ON_DEMAND")
            .dashFragmentSelector(d -> d.fragmentSelectorType("SERVER_TIMESTAMP")
                .timestampRange(t -> t.startTimestamp(range.timestampRange().startTimestamp())
                    .endTimestamp(range.timestampRange().endTimestamp()))))
            .dashStreamingSessionURL());
    List<String> resources = List.of("getHLSMasterPlaylist.m3u8", "getHLSMediaPlaylist.m3u8",
        "getMP4InitFragment.mp4", "getMP4MediaFragment.mp4", "getTSFragment.ts",
        "getDASHManifest.mpd");
    List<String> numbers = List.of("0", "1", "9", "10", "-1", "x", "", "1e3", "0x10",
        "99999999999999999999", "9223372036854775807", "2147483648", " 1", "1&FragmentNumber=2");
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int i = 0; i < 600; i++) {
      String session = sessions.get(random.nextInt(sessions.size()));
      String base = session.substring(0, session.lastIndexOf('/') + 1);
      String token = session.substring(session.indexOf("SessionToken=") + "SessionToken=".length());
      StringBuilder url = new StringBuilder(base)
          .append(resources.get(random.nextInt(resources.size()))).append('?');
      if (random.nextInt(4) > 0) {
        url.append("FragmentNumber=").append(numbers.get(random.nextInt(numbers.size())))
            .append('&');
      }
      if (random.nextBoolean()) {
        url.append("TrackNumber=").append(numbers.get(random.nextInt(numbers.size()))).append('&');
      }
      url.append("SessionToken=").append(random.nextInt(10) == 0 ? token.substring(1) : token);
      HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url.toString()
          .replace(" ", "%20"))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      String errorType = response.headers().firstValue("x-amzn-ErrorType").orElse(null);
      int status = response.statusCode();
      outcomes.merge(status == 200 ? "200" : status + " " + errorType, 1, Integer::sum);
      if (status != 200 && !(status >= 400 && status < 500 && errorType != null)) {
        failures.add(url + " -> " + status + " " + errorType + " "
            + new String(response.body(), StandardCharsets.UTF_8));
      }
    }
    assertThat(failures).as("playback requests answered with a server error or no AWS error type")
        .isEmpty();
    assertThat(outcomes.getOrDefault("200", 0)).as("served: %s", outcomes).isGreaterThan(50);
  }

  /** Sends one request; null when the answer is a success or a 4xx AWS error, else what it was. */
  private static String send(String operation, byte[] body,
      Map<String, Integer> outcomes) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(SERVER.baseUrl() + operation))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<InputStream> response = HTTP.send(request,
        HttpResponse.BodyHandlers.ofInputStream());
    int status = response.statusCode();
    String errorType = response.headers().firstValue("x-amzn-ErrorType").orElse(null);
    outcomes.merge(status == 200 ? "200" : status + " " + errorType, 1, Integer::sum);
    if (status == 200) {
      response.body().close(); // long-lived bodies (GetMedia) are not read
      return null;
    }
    String text;
    try (InputStream in = response.body()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (status >= 400 && status < 500 && errorType != null) {
      return null;
    }
    return status + " " + errorType + " " + text;
  }

  /** A JSON object of random AWS field names and values. */
  private static String object(Random random, int depth) {
    StringBuilder out = new StringBuilder("{");
    int fields = random.nextInt(5);
    if (depth == 0 && random.nextInt(4) > 0) {
      out.append(random.nextBoolean() ? "\"StreamName\":\"" + STREAM + "\""
          : "\"StreamARN\":\"" + streamArn + "\"");
      fields--;
    }
    for (int i = 0; i < fields; i++) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append('"').append(FIELDS.get(random.nextInt(FIELDS.size()))).append("\":")
          .append(value(random, depth + 1));
    }
    return out.append('}').toString();
  }

  private static String value(Random random, int depth) {
    switch (random.nextInt(depth > 3 ? 8 : 11)) {
      case 0: return "null";
      case 1: return Boolean.toString(random.nextBoolean());
      case 2: return Integer.toString(random.nextInt(2001) - 1000);
      case 3: return random.nextBoolean() ? "1e308" : "-9223372036854775809";
      case 4: return Double.toString(random.nextDouble() * 2e9);
      case 5: return quoted(WORDS.get(random.nextInt(WORDS.size())));
      case 6: return quoted("x".repeat(random.nextInt(3) == 0 ? 70_000 : random.nextInt(300)));
      case 7: return Long.toString(1_700_000_000L + random.nextInt(2_000_000_000));
      case 8: return object(random, depth);
      case 9: {
        StringBuilder array = new StringBuilder("[");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          array.append(i > 0 ? "," : "").append(value(random, depth + 1));
        }
        return array.append(']').toString();
      }
      default: return "{\"" + FIELDS.get(random.nextInt(FIELDS.size())) + "\":"
          + value(random, depth + 1) + "}";
    }
  }

  private static String quoted(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000")
        + '"';
  }

  /** Bytes that are not a JSON object: random, truncated JSON, or another JSON type. */
  private static byte[] garbage(Random random) {
    switch (random.nextInt(4)) {
      case 0: {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
      }
      case 1: {
        String json = object(random, 0);
        return json.substring(0, random.nextInt(json.length())).getBytes(StandardCharsets.UTF_8);
      }
      case 2: return "[1,2,3]".getBytes(StandardCharsets.UTF_8);
      default: return new byte[0];
    }
  }
}
