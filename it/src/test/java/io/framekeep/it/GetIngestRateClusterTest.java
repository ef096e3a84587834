package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.StorageBackend;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * GetIngestRate on two cluster nodes sharing one database and bucket: a stream ingested through
 * one node has the same rate on the other, which holds no ingest state for it. Runs only with the
 * cluster switch ({@code -Dframekeep.storage=cluster}, see {@link ClusterUnderTest}).
 */
class GetIngestRateClusterTest {
  private static final List<SdkClient> CLIENTS = new ArrayList<>();
  private static final List<Path> DATA_DIRS = new ArrayList<>();
  private static FramekeepServer nodeA;
  private static FramekeepServer nodeB;

  @BeforeAll
  static void startNodes() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "cluster nodes run with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    Map<String, String> shared = ClusterUnderTest.freshNodeSettings();
    nodeA = startNode(shared, "rate-node-a");
    nodeB = startNode(shared, "rate-node-b");
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
  void streamIngestedThroughNodeA_sameRateOnNodeB() throws Exception {
    KinesisVideoClient kvA = client(KinesisVideoClient.builder(), URI.create(nodeA.baseUrl()));
    Streams.create(kvA, "rate-across", 24);
    Instant before = Instant.now();
    Streams.ingest(kvA, "rate-across",
        new ByteArrayInputStream(TestMedia.bytes(TestMedia.h264Aac(5, TestMedia.GOP_FRAMES))));

    String request = "{\"StreamName\": \"rate-across\", \"WindowInSeconds\": 120}";
    JsonNode onA = GetIngestRateTest.call(nodeA.baseUrl(), request,
        InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY).body();
    JsonNode onB = GetIngestRateTest.call(nodeB.baseUrl(), request,
        InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY).body();
    KinesisVideoClient kvB = client(KinesisVideoClient.builder(), URI.create(nodeB.baseUrl()));
    KinesisVideoArchivedMediaClient amB = client(KinesisVideoArchivedMediaClient.builder(),
        Streams.dataEndpoint(kvB, "rate-across", APIName.LIST_FRAGMENTS));
    List<Fragment> listed = Streams.listAll(amB, "rate-across", Streams.selector(
        FragmentSelectorType.SERVER_TIMESTAMP, before.minusSeconds(1), Instant.now()), null);

    assertThat(listed).hasSize(5);
    assertThat(onB.get("FragmentCount").asLong()).isEqualTo(5);
    assertThat(onB.get("Bytes").asLong())
        .isEqualTo(listed.stream().mapToLong(Fragment::fragmentSizeInBytes).sum());
    assertThat(onB.get("FragmentCount")).isEqualTo(onA.get("FragmentCount"));
    assertThat(onB.get("Bytes")).isEqualTo(onA.get("Bytes"));
  }

  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C extends SdkClient>
      C client(B builder, URI endpoint) {
    C client = TestClients.build(builder, endpoint, UrlConnectionHttpClient.create());
    CLIENTS.add(client);
    return client;
  }
}
