package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.ResourceNotFoundException;

/**
 * {@code GET /metrics} in the Prometheus text format after real traffic: the fragments of an
 * upload counted once each with their bytes and durability times, requests counted per AWS
 * operation and outcome, and the JVM's meters.
 */
class MetricsTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();

  @Test
  void metrics_afterAnUploadAndTwoDescribes_countsThemInPrometheusFormat() throws Exception {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, "metered", 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kv, "metered");
    int clusters = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
    assertThat(ingest.response().acks("PERSISTED")).hasSize(clusters);
    kv.describeStream(r -> r.streamName("metered"));
    assertThatThrownBy(() -> kv.describeStream(r -> r.streamName("no-such-stream")))
        .isInstanceOf(ResourceNotFoundException.class);

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(SERVER.baseUrl() + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    String text = response.body();
    assertThat(text).contains("framekeep_fragments_persisted_total " + clusters + ".0\n");
    assertThat(value(text, "framekeep_ingest_bytes_total "))
        .as("cluster bytes of the upload").isGreaterThan(0.9 * TestMedia.h264AacBytes().length)
        .isLessThanOrEqualTo(TestMedia.h264AacBytes().length);
    assertThat(text).contains("framekeep_fragments_durability_seconds_count " + clusters + "\n")
        .contains("framekeep_fragments_durability_seconds_bucket{le=")
        .contains("framekeep_requests_seconds_count{operation=\"DescribeStream\","
            + "outcome=\"ResourceNotFoundException\"} 1\n")
        .contains("framekeep_ingest_sessions 0.0\n")
        .contains("jvm_memory_used_bytes{");
    assertThat(value(text, "framekeep_requests_seconds_count{operation=\"DescribeStream\","
        + "outcome=\"ok\"} ")).as("Streams.create's own describes and this one")
        .isGreaterThanOrEqualTo(2);
  }

  private static double value(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(
        l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst().orElse(-1);
  }
}
