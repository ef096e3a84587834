package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.it.PutMediaClient.Ack;
import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.StorageBackend;
import java.io.ByteArrayInputStream;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideomedia.KinesisVideoMediaClient;
import software.amazon.awssdk.services.kinesisvideomedia.model.GetMediaResponse;
import software.amazon.awssdk.services.kinesisvideomedia.model.StartSelectorType;

/**
 * Two cluster nodes (two servers in this JVM, each with its own node id and data directory)
 * sharing one PostgreSQL database and one bucket, driven through the AWS SDK on both: what one
 * node ingests, the other lists and serves byte for byte; a second upload of a stream on the other
 * node is refused; a live GetMedia reader on one node gets a fragment persisted through the other
 * within a second; an HLS session URL issued by one node plays on the other.
 *
 * <p>Runs only with the cluster switch ({@code -Dframekeep.storage=cluster}, see
 * {@link ClusterUnderTest}); skipped otherwise.
 */
class ClusterNodesTest {
  /** A node reader's view may lag the writer's PERSISTED ack by this much (the cluster's promise). */
  private static final long CROSS_NODE_VISIBILITY_MS = 1_000;
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(20);
  /** Bytes of the test media sent before an upload is held open. */
  private static final int FIRST_PART_BYTES = 120 * 1024;

  private static final List<SdkClient> CLIENTS = new ArrayList<>();
  private static final List<Path> DATA_DIRS = new ArrayList<>();
  private static FramekeepServer nodeA;
  private static FramekeepServer nodeB;

  @BeforeAll
  static void startNodes() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "cluster nodes run with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    Map<String, String> shared = ClusterUnderTest.freshNodeSettings();
    nodeA = startNode(shared, "node-a");
    nodeB = startNode(shared, "node-b");
  }

  private static FramekeepServer startNode(Map<String, String> shared, String nodeId)
      throws Exception {
    Path dataDir = Files.createTempDirectory("framekeep-it-" + nodeId + "-");
    DATA_DIRS.add(dataDir);
    Map<String, String> settings = new HashMap<>(shared);
    settings.put("node-id", nodeId);
    return FramekeepServer.start(ServerConfig.defaults(dataDir).withPort(0)
        .withCredential(InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)
        .withStorageSettings(settings), StorageBackend.CLUSTER);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    CLIENTS.forEach(SdkClient::close);
    for (FramekeepServer node : new FramekeepServer[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    for (Path dir : DATA_DIRS) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void putMediaOnA_listedOnBAndClipFromBIdenticalToClipFromA() throws Exception {
    KinesisVideoClient kvA = kinesisVideo(nodeA);
    String stream = "nodes-clip";
    Streams.create(kvA, stream, 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kvA, stream);
    List<String> persisted = ingest.response().acks("PERSISTED").stream()
        .map(Ack::fragmentNumber).toList();
    assertThat(persisted).hasSize(Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size());

    KinesisVideoClient kvB = kinesisVideo(nodeB);
    List<Fragment> listedOnB = Streams.listAll(
        archived(kvB, stream, APIName.LIST_FRAGMENTS), stream,
        Streams.wholeIngestByProducerTime(ingest), null);

    assertThat(listedOnB).extracting(Fragment::fragmentNumber)
        .containsExactlyInAnyOrderElementsOf(persisted);
    byte[] clipFromA = clip(kvA, stream, ingest);
    byte[] clipFromB = clip(kvB, stream, ingest);
    assertThat(clipFromA).hasSizeGreaterThan(100_000);
    assertThat(clipFromB).as("clip served by node B").isEqualTo(clipFromA);
  }

  @Test
  void hlsSessionUrlIssuedByA_playsOnB() throws Exception {
    KinesisVideoClient kvA = kinesisVideo(nodeA);
    String stream = "nodes-hls";
    Streams.create(kvA, stream, 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kvA, stream);
    String urlOnA = archived(kvA, stream, APIName.GET_HLS_STREAMING_SESSION_URL)
        .getHLSStreamingSessionURL(r -> r.streamName(stream)
            .playbackMode(HLSPlaybackMode.ON_DEMAND)
            .hlsFragmentSelector(s -> s.fragmentSelectorType(
                    HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                    .endTimestamp(ingest.producerStart().plusSeconds(
                        TestMedia.DURATION_SECONDS + 1)))))
        .hlsStreamingSessionURL();
    assertThat(urlOnA).startsWith(nodeA.baseUrl());
    String urlOnB = nodeB.baseUrl() + urlOnA.substring(nodeA.baseUrl().length());

    HttpResponse<String> playlist = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(urlOnB)).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(playlist.statusCode()).as("body: %s", playlist.body()).isEqualTo(200);
    assertThat(playlist.body()).startsWith("#EXTM3U");
  }

  @Test
  void putMediaOnBWhileAUploads_connectionLimitExceeded() throws Exception {
    KinesisVideoClient kvA = kinesisVideo(nodeA);
    String stream = "nodes-busy";
    Streams.create(kvA, stream, 24);
    byte[] mkv = TestMedia.h264AacBytes();
    CountDownLatch release = new CountDownLatch(1);
    InputStream held = new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(Arrays.copyOfRange(mkv, 0, FIRST_PART_BYTES)),
        new GateInputStream(release),
        new ByteArrayInputStream(Arrays.copyOfRange(mkv, FIRST_PART_BYTES, mkv.length)))));
    Target target = Target.relative(stream, Instant.now().truncatedTo(ChronoUnit.MILLIS));

    try (PutMediaClient.Upload onA = InProcessServer.putMedia(
            Streams.dataEndpoint(kvA, stream, APIName.PUT_MEDIA))
        .start(target, Signing.EMPTY_PAYLOAD_HASH, held)) {
      assertThat(onA.awaitStatus(ACK_TIMEOUT)).isEqualTo(200);
      onA.awaitAck(a -> "BUFFERING".equals(a.eventType()), ACK_TIMEOUT);

      PutMediaClient.Response onB = InProcessServer.putMedia(
              Streams.dataEndpoint(kinesisVideo(nodeB), stream, APIName.PUT_MEDIA))
          .put(target, Signing.EMPTY_PAYLOAD_HASH, new ByteArrayInputStream(mkv),
              Streams.UPLOAD_TIMEOUT);

      assertThat(onB.status()).isEqualTo(400);
      assertThat(onB.errorType()).startsWith("ConnectionLimitExceededException");
      release.countDown();
      PutMediaClient.Response doneOnA = onA.await(Streams.UPLOAD_TIMEOUT);
      assertThat(doneOnA.acks("ERROR")).isEmpty();
      assertThat(doneOnA.acks("PERSISTED")).isNotEmpty();
    } finally {
      release.countDown();
    }
  }

  @Test
  void getMediaOnB_fragmentPersistedThroughA_arrivesWithinOneSecond() throws Exception {
    KinesisVideoClient kvA = kinesisVideo(nodeA);
    KinesisVideoClient kvB = kinesisVideo(nodeB);
    String stream = "nodes-live";
    Streams.create(kvA, stream, 24);
    ResponseInputStream<GetMediaResponse> live = media(kvB, stream).getMedia(r -> r
        .streamName(stream).startSelector(s -> s.startSelectorType(StartSelectorType.NOW)));
    CompletableFuture<Long> firstByteOnB = CompletableFuture.supplyAsync(() -> {
      try {
        int b = live.read();
        return b < 0 ? -1L : System.nanoTime();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    // A fragment a second (8 KiB every 100 ms, about 80 KiB per fragment of the test media).
    GetMediaTest.PacedInputStream paced = new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.h264AacBytes()), 8 * 1024, 100);

    try (PutMediaClient.Upload onA = Streams.startUpload(kvA, stream, paced,
        Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
      onA.awaitAck(a -> "PERSISTED".equals(a.eventType()), ACK_TIMEOUT);
      long persistedOnA = System.nanoTime();
      long arrivedOnB = firstByteOnB.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

      assertThat(arrivedOnB).as("GetMedia on B got bytes").isPositive();
      assertThat(TimeUnit.NANOSECONDS.toMillis(arrivedOnB - persistedOnA))
          .as("ms from A's PERSISTED ack to the first GetMedia byte on B")
          .isLessThanOrEqualTo(CROSS_NODE_VISIBILITY_MS);
    } finally {
      live.abort();
    }
  }

  private static byte[] clip(KinesisVideoClient kv, String stream, Streams.Ingest ingest)
      throws Exception {
    try (ResponseInputStream<?> in = archived(kv, stream, APIName.GET_CLIP).getClip(r -> r
        .streamName(stream).clipFragmentSelector(s -> s
            .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                .endTimestamp(ingest.producerStart().plusSeconds(
                    TestMedia.DURATION_SECONDS + 1)))))) {
      return in.readAllBytes();
    }
  }

  private static KinesisVideoClient kinesisVideo(FramekeepServer node) {
    KinesisVideoClient client = TestClients.build(KinesisVideoClient.builder(), URI.create(node.baseUrl()),
        UrlConnectionHttpClient.create());
    CLIENTS.add(client);
    return client;
  }

  /** An archived-media client on the data endpoint the node answers for {@code api}. */
  private static KinesisVideoArchivedMediaClient archived(KinesisVideoClient kv, String stream,
      APIName api) {
    KinesisVideoArchivedMediaClient client = TestClients.build(KinesisVideoArchivedMediaClient.builder(),
        Streams.dataEndpoint(kv, stream, api), UrlConnectionHttpClient.create());
    CLIENTS.add(client);
    return client;
  }

  private static KinesisVideoMediaClient media(KinesisVideoClient kv, String stream) {
    KinesisVideoMediaClient client = TestClients.build(KinesisVideoMediaClient.builder(),
        Streams.dataEndpoint(kv, stream, APIName.GET_MEDIA), ApacheHttpClient.create());
    CLIENTS.add(client);
    return client;
  }

  /** Reports end of stream once released: holds an upload open between two parts of a body. */
  private static final class GateInputStream extends InputStream {
    private final CountDownLatch release;

    GateInputStream(CountDownLatch release) {
      this.release = release;
    }

    @Override
    public int read() {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return read();
    }
  }
}
