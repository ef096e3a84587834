package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.server.StorageBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;

/**
 * The cluster node's local block cache, on by default (in {@code object-cache} of the data
 * directory): a clip read twice is byte-identical and the second read sends no GET to the object
 * store, as the node's own counters at {@code /metrics} tell
 * ({@code framekeep_cluster_object_gets_total}, {@code framekeep_cluster_cache_*}).
 *
 * <p>Runs only with the cluster switch (the cluster-backend execution).
 */
class ClusterCacheTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void getClip_readTwice_identicalAndTheSecondSendsNoGet() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "the cluster cache runs with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    KinesisVideoClient kv = SERVER.kinesisVideo();
    String stream = "cached-clip";
    Streams.create(kv, stream, 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kv, stream);
    double getsBefore = metric("framekeep_cluster_object_gets_total");

    byte[] first = clip(kv, stream, ingest);
    double getsAfterFirst = metric("framekeep_cluster_object_gets_total");
    double hitsAfterFirst = metric("framekeep_cluster_cache_hits_total");
    byte[] second = clip(kv, stream, ingest);
    double getsAfterSecond = metric("framekeep_cluster_object_gets_total");

    assertThat(first).hasSizeGreaterThan(100_000);
    assertThat(second).as("the clip read again").isEqualTo(first);
    assertThat(getsAfterFirst - getsBefore).as("GETs of the first read").isPositive();
    assertThat(getsAfterSecond - getsAfterFirst).as("GETs of the second read").isZero();
    assertThat(metric("framekeep_cluster_cache_hits_total")).isGreaterThan(hitsAfterFirst);
    assertThat(metric("framekeep_cluster_cache_misses_total"))
        .as("blocks fetched, one GET each").isEqualTo(getsAfterFirst - getsBefore);
    Path blocks = SERVER.dataDir().resolve("object-cache").resolve("blocks");
    try (Stream<Path> files = Files.list(blocks)) {
      assertThat(files.count()).as("block files in %s", blocks).isPositive();
    }
  }

  private static byte[] clip(KinesisVideoClient kv, String stream, Streams.Ingest ingest)
      throws Exception {
    URI endpoint = Streams.dataEndpoint(kv, stream, APIName.GET_CLIP);
    try (ResponseInputStream<?> in = SERVER.archivedMedia(endpoint).getClip(r -> r
        .streamName(stream).clipFragmentSelector(s -> s
            .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                .endTimestamp(ingest.producerStart().plusSeconds(
                    TestMedia.DURATION_SECONDS + 1)))))) {
      return in.readAllBytes();
    }
  }

  /** The value of an unlabelled meter in the node's Prometheus text. */
  private static double metric(String name) throws Exception {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create(SERVER.baseUrl() + "/metrics"))
        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError(name + " not in /metrics");
  }
}
