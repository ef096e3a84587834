package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * The GetIngestRate extension against what was really uploaded: a paced PutMedia upload whose
 * bytes are counted as the server reads them, and a finished upload whose fragments ListFragments
 * lists. Runs on the backend {@link ClusterUnderTest} picks (the figures come from the index, so
 * the cluster backend answers the same way on every node).
 */
class GetIngestRateTest {
  private static final String VIEWER_KEY = "RATEVIEWER";
  private static final String VIEWER_SECRET = "rate-viewer-secret";
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withPermissionsFile(permissions()));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Path permissions() {
    try {
      Path file = Files.createTempFile("framekeep-permissions-", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, "{\"principals\": [{\"accessKeyId\": \"" + VIEWER_KEY + "\","
          + " \"secretAccessKey\": \"" + VIEWER_SECRET + "\", \"allow\": ["
          + "{\"actions\": [\"GetCoverage\", \"DescribeStream\"]}]}]}");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void finishedUpload_countsEveryFragmentWithTheSizesListFragmentsReports() throws Exception {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, "rate-done", 24);
    Path media = TestMedia.h264Aac(6, TestMedia.GOP_FRAMES); // six 1 s fragments
    Instant before = Instant.now();
    Streams.ingest(kv, "rate-done", new ByteArrayInputStream(TestMedia.bytes(media)));

    JsonNode r = call("{\"StreamName\": \"rate-done\", \"WindowInSeconds\": 60}",
        InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY).body();
    KinesisVideoArchivedMediaClient am = SERVER.archivedMedia(
        Streams.dataEndpoint(kv, "rate-done", APIName.LIST_FRAGMENTS));
    List<Fragment> listed = Streams.listAll(am, "rate-done", Streams.selector(
        FragmentSelectorType.SERVER_TIMESTAMP, before.minusSeconds(1), Instant.now()), null);
    long listedBytes = listed.stream().mapToLong(Fragment::fragmentSizeInBytes).sum();

    assertThat(listed).hasSize(6);
    assertThat(r.get("FragmentCount").asLong()).isEqualTo(6);
    assertThat(r.get("Bytes").asLong()).isEqualTo(listedBytes);
    // The fragments are the upload less its EBML and segment headers (a few hundred bytes).
    long uploaded = Files.size(media);
    assertThat(listedBytes).isLessThanOrEqualTo(uploaded).isGreaterThan(uploaded - 4_096);
    assertThat(r.get("BytesPerSecond").asDouble()).isCloseTo(listedBytes / 60.0, within(0.01));
    assertThat(r.get("FragmentsPerSecond").asDouble()).isCloseTo(0.1, within(1e-9));
    assertThat(r.get("Truncated").asBoolean()).isFalse();
    long windowMs = r.get("WindowEndTimestamp").decimalValue().movePointRight(3).longValue()
        - r.get("WindowStartTimestamp").decimalValue().movePointRight(3).longValue();
    assertThat(windowMs).isEqualTo(60_000);

    // A one-second window long after the upload: nothing.
    Streams.sleep(1_100);
    JsonNode idle = call("{\"StreamName\": \"rate-done\", \"WindowInSeconds\": 1}",
        InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY).body();
    assertThat(idle.get("FragmentCount").asLong()).isZero();
    assertThat(idle.get("BytesPerSecond").asDouble()).isZero();
    assertThat(idle.has("LastFragmentServerTimestamp")).isFalse();
  }

  @Test
  void pacedUpload_rateFollowsTheBytesTheServerReadInTheWindow() throws Exception {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, "rate-paced", 24);
    byte[] media = TestMedia.bytes(TestMedia.h264Aac(60, TestMedia.GOP_FRAMES));
    long largestFragment = 0;
    CountingStream counted = new CountingStream(new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(media), 8 * 1024, 100));
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, "rate-paced", counted,
        Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
      Streams.sleep(8_000);
      JsonNode r = call("{\"StreamName\": \"rate-paced\", \"WindowInSeconds\": 5}",
          InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY).body();
      long endMs = r.get("WindowEndTimestamp").decimalValue().movePointRight(3).longValue();
      long sent = counted.bytesBetween(endMs - 5_000, endMs);
      KinesisVideoArchivedMediaClient am = SERVER.archivedMedia(
          Streams.dataEndpoint(kv, "rate-paced", APIName.LIST_FRAGMENTS));
      for (Fragment f : Streams.listAll(am, "rate-paced", Streams.selector(
          FragmentSelectorType.SERVER_TIMESTAMP, Instant.EPOCH, Instant.now()), null)) {
        largestFragment = Math.max(largestFragment, f.fragmentSizeInBytes());
      }
      assertThat(counted.exhausted()).as("the upload ran during the whole test").isFalse();
      System.out.printf("paced upload: %d bytes read by the server in the window, %d counted"
          + " by GetIngestRate (%d fragments, %.0f B/s)%n", sent, r.get("Bytes").asLong(),
          r.get("FragmentCount").asLong(), r.get("BytesPerSecond").asDouble());
      assertThat(r.get("FragmentCount").asLong()).isGreaterThanOrEqualTo(2);
      // Fragments count once committed, by their arrival time: the window's figure differs from
      // the bytes on the wire by a fragment at each edge, and trails them by the commit delay
      // (on the cluster backend a commit includes the object-store write: up to another fragment
      // under load, 295,695 counted of 401,408 read with 52,852-byte fragments seen).
      assertThat(r.get("Bytes").asLong()).isBetween(sent - 3 * largestFragment,
          sent + 2 * largestFragment);
      assertThat(r.get("BytesPerSecond").asDouble())
          .isCloseTo(r.get("Bytes").asLong() / 5.0, within(0.01));
    }
  }

  @Test
  void principalWithoutTheGrant_isRefusedBeforeValidation_andBadInputIsA400() throws Exception {
    Streams.create(SERVER.kinesisVideo(), "rate-refused", 24);
    Reply refused = call("{\"StreamName\": \"rate-refused\", \"WindowInSeconds\": 0}",
        VIEWER_KEY, VIEWER_SECRET);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body().get("message").asText())
        .contains("kinesisvideo:GetIngestRate on stream rate-refused");
    Reply invalid = call("{\"StreamName\": \"rate-refused\", \"WindowInSeconds\": 0}",
        InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY);
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.errorType()).isEqualTo("InvalidArgumentException");
    Reply missing = call("{\"StreamName\": \"no-such-rate-stream\"}",
        InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorType()).isEqualTo("ResourceNotFoundException");
    Reply garbage = call("[1, 2", InProcessServer.ACCESS_KEY_ID,
        InProcessServer.SECRET_ACCESS_KEY);
    assertThat(garbage.status()).isBetween(400, 499);
  }

  record Reply(int status, String errorType, JsonNode body) {}

  private static Reply call(String json, String accessKeyId, String secret) throws Exception {
    return call(SERVER.baseUrl(), json, accessKeyId, secret);
  }

  /** POST /getIngestRate signed with SigV4 (payload signed), as any AWS SDK would send it. */
  static Reply call(String baseUrl, String json, String accessKeyId, String secret)
      throws Exception {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    URI uri = URI.create(baseUrl + "/getIngestRate");
    SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
        .putHeader("Content-Type", "application/json").build();
    var signed = AwsV4HttpSigner.create().sign(r -> r
        .identity((AwsCredentialsIdentity) AwsCredentialsIdentity.create(accessKeyId, secret))
        .request(unsigned)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kinesisvideo")
        .putProperty(AwsV4HttpSigner.REGION_NAME, InProcessServer.REGION.id()));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
        values.forEach(v -> request.header(name, v));
      }
    });
    HttpResponse<String> response = HTTP.send(request.build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode parsed = response.body().isEmpty() ? JSON.createObjectNode()
        : JSON.readTree(response.body());
    if (response.statusCode() == 200) {
      return new Reply(200, null, parsed);
    }
    String type = response.headers().firstValue("x-amzn-ErrorType").orElse("").split(":")[0];
    return new Reply(response.statusCode(), type, parsed);
  }

  /** Counts the bytes read through it, with when: what the server had received by then. */
  private static final class CountingStream extends FilterInputStream {
    private final ConcurrentLinkedDeque<long[]> samples = new ConcurrentLinkedDeque<>();
    private final GetMediaTest.PacedInputStream paced;
    private long total;

    CountingStream(GetMediaTest.PacedInputStream in) {
      super(in);
      this.paced = in;
      samples.add(new long[] {System.currentTimeMillis(), 0});
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        total += n;
        samples.add(new long[] {System.currentTimeMillis(), total});
      }
      return n;
    }

    /** Bytes read in (fromMs, toMs]. */
    long bytesBetween(long fromMs, long toMs) {
      long atFrom = 0;
      long atTo = 0;
      for (long[] s : samples) {
        if (s[0] <= fromMs) {
          atFrom = s[1];
        }
        if (s[0] <= toMs) {
          atTo = s[1];
        }
      }
      return atTo - atFrom;
    }

    boolean exhausted() {
      return paced.exhausted();
    }
  }
}
