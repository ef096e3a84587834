package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.StorageBackend;
import io.framekeep.storage.cluster.ClusterConfig;
import io.framekeep.storage.cluster.S3Clients;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Compaction and collection through real servers: node A ingests several streams at once (a flush per
 * fragment, so many small objects), node B serves their clips; then node C, the only one with maintenance
 * switched on, rewrites them into per-stream objects and deletes the old ones. B's clips afterwards are
 * byte-identical to before, the bucket holds fewer objects, and C's {@code /metrics} counts what it did.
 *
 * <p>Runs only with the cluster switch ({@code -Dframekeep.storage=cluster}); skipped otherwise.
 */
class ClusterCompactionTest {

  private static final int STREAMS = 3;
  /** Generous for a loaded 2-core machine: a pass every 300 ms takes well under a second here. */
  private static final long COMPACTION_TIMEOUT_MS = 90_000;

  private final List<FramekeepServer> nodes = new ArrayList<>();
  private final List<SdkClient> clients = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    clients.forEach(SdkClient::close);
    for (FramekeepServer node : nodes) {
      node.close();
    }
    for (Path dir : dirs) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private FramekeepServer node(Map<String, String> settings) throws Exception {
    Path dataDir = Files.createTempDirectory("framekeep-it-compact-");
    dirs.add(dataDir);
    FramekeepServer node = FramekeepServer.start(ServerConfig.defaults(dataDir).withPort(0)
        .withCredential(InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)
        .withStorageSettings(settings), StorageBackend.CLUSTER);
    nodes.add(node);
    return node;
  }

  @Test
  void compaction_onAThirdNode_clipsOnAnotherNodeIdenticalAndFewerObjects() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "cluster compaction runs with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    Map<String, String> shared = ClusterUnderTest.freshNodeSettings();
    // Node ids unique to this test name its objects in the bucket, which other test classes share.
    String tag = "cmp" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
    Map<String, String> ingestSettings = new HashMap<>(shared);
    ingestSettings.put("node-id", tag + "-a");
    ingestSettings.put("flush-bytes", "1");
    ingestSettings.put("compact-interval-ms", "0");
    Map<String, String> readSettings = new HashMap<>(shared);
    readSettings.put("node-id", tag + "-b");
    readSettings.put("compact-interval-ms", "0");
    FramekeepServer a = node(ingestSettings);
    FramekeepServer b = node(readSettings);

    KinesisVideoClient kvA = kinesisVideo(a);
    List<CompletableFuture<Streams.Ingest>> uploads = new ArrayList<>();
    for (int s = 0; s < STREAMS; s++) {
      String name = "compact-" + s;
      Streams.create(kvA, name, 24);
      uploads.add(CompletableFuture.supplyAsync(() -> Streams.ingestTestMedia(kvA, name)));
    }
    KinesisVideoClient kvB = kinesisVideo(b);
    Map<Streams.Ingest, byte[]> before = new LinkedHashMap<>();
    for (CompletableFuture<Streams.Ingest> upload : uploads) {
      Streams.Ingest ingest = upload.join();
      before.put(ingest, clip(kvB, ingest));
      assertThat(before.get(ingest)).hasSizeGreaterThan(100_000);
    }
    try (S3Client s3 = s3(shared)) {
      int sharedObjects = objects(s3, tag + "-a");
      assertThat(sharedObjects).as("objects of node A's flushes").isGreaterThan(STREAMS);

      Map<String, String> compactSettings = new HashMap<>(shared);
      compactSettings.put("node-id", tag + "-c");
      compactSettings.put("compact-interval-ms", "300");
      compactSettings.put("compact-min-age-ms", "0");
      compactSettings.put("compact-target-bytes", "1048576");
      compactSettings.put("collect-grace-ms", "0");
      FramekeepServer c = node(compactSettings);
      long deadline = System.currentTimeMillis() + COMPACTION_TIMEOUT_MS;
      while (objects(s3, tag + "-a") > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }

      assertThat(objects(s3, tag + "-a")).as("shared objects left").isZero();
      int streamObjects = objects(s3, tag + "-c");
      assertThat(streamObjects).isBetween(STREAMS, sharedObjects - 1);
      for (Map.Entry<Streams.Ingest, byte[]> clip : before.entrySet()) {
        assertThat(clip(kvB, clip.getKey())).as("clip of %s on node B after compaction",
            clip.getKey().streamName()).isEqualTo(clip.getValue());
      }
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(c.baseUrl() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(counter(metrics, "framekeep_objects_compacted_total")).isEqualTo(streamObjects);
      assertThat(counter(metrics, "framekeep_objects_deleted_total")).isEqualTo(sharedObjects);
      assertThat(counter(metrics, "framekeep_objects_rewritten_bytes_total")).isPositive();
    }
  }

  /** Objects in the bucket written by the node {@code nodeId} (its id is part of every key it writes). */
  private static int objects(S3Client s3, String nodeId) {
    int count = 0;
    for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(S3ProxyServer.BUCKET)).contents()) {
      if (o.key().contains("/" + nodeId + "-")) {
        count++;
      }
    }
    return count;
  }

  private static long counter(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.Ee+]+)$").matcher(metrics);
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private static S3Client s3(Map<String, String> settings) {
    return S3Clients.create(ClusterConfig.from(settings, Map.of()));
  }

  private byte[] clip(KinesisVideoClient kv, Streams.Ingest ingest) throws Exception {
    KinesisVideoArchivedMediaClient archived = TestClients.build(KinesisVideoArchivedMediaClient.builder(),
        Streams.dataEndpoint(kv, ingest.streamName(), APIName.GET_CLIP), UrlConnectionHttpClient.create());
    clients.add(archived);
    try (ResponseInputStream<?> in = archived.getClip(r -> r.streamName(ingest.streamName())
        .clipFragmentSelector(s -> s.fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                .endTimestamp(ingest.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1)))))) {
      return in.readAllBytes();
    }
  }

  private KinesisVideoClient kinesisVideo(FramekeepServer node) {
    KinesisVideoClient client = TestClients.build(KinesisVideoClient.builder(), URI.create(node.baseUrl()),
        UrlConnectionHttpClient.create());
    clients.add(client);
    return client;
  }
}
