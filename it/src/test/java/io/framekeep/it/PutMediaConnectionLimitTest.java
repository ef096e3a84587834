package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.it.PutMediaClient.Ack;
import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import io.framekeep.server.ServiceLimits;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * The longest PutMedia connection (AWS: 45 minutes, here 3 s): the first fragment to start after
 * it gets ERROR 4003 MAX_CONNECTION_DURATION_REACHED and the upload ends; every fragment before it
 * was acked PERSISTED and is listed.
 */
class PutMediaConnectionLimitTest {
  private static final long MAX_CONNECTION_MS = 3_000;
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withLimits(ServiceLimits.awsDefaults().withMaxPutMediaConnectionMs(MAX_CONNECTION_MS)));

  @Test
  void putMedia_pastTheLongestConnection_errorAck4003AndEarlierFragmentsKept() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    String stream = "pm-connection-limit";
    Streams.create(kv, stream, 24);
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // About 9 s of upload (8 KiB every 150 ms), so the limit falls in the middle.
    GetMediaTest.PacedInputStream paced = new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.h264AacBytes()), 8 * 1024, 150);

    PutMediaClient.Response response = InProcessServer.putMedia(
            Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA))
        .put(Target.relative(stream, producerStart), Signing.EMPTY_PAYLOAD_HASH, paced,
            Streams.UPLOAD_TIMEOUT);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.acks("ERROR")).singleElement().satisfies(error -> {
      assertThat(error.errorId()).isEqualTo(4003);
      assertThat(error.errorCode()).isEqualTo("MAX_CONNECTION_DURATION_REACHED");
    });
    List<String> persisted = response.acks("PERSISTED").stream().map(Ack::fragmentNumber)
        .toList();
    int clusters = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
    assertThat(persisted).hasSizeBetween(1, clusters - 1);
    List<Fragment> listed = Streams.listAll(SERVER.archivedMedia(
            Streams.dataEndpoint(kv, stream, APIName.LIST_FRAGMENTS)), stream,
        Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, producerStart,
            producerStart.plusSeconds(11)), null);
    assertThat(listed.stream().map(Fragment::fragmentNumber).sorted().toList())
        .containsExactlyElementsOf(persisted.stream().sorted().toList());
  }
}
