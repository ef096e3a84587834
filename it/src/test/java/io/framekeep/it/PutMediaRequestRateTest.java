package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import io.framekeep.server.ServiceLimits;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;

/**
 * AWS's PutMedia call rate (spec §3.7): at most 5 PutMedia requests per second on one stream, the
 * 6th refused with ClientLimitExceededException (HTTP 400); off with {@code --no-quotas}. Each
 * server's clock is frozen, so "within one second" does not depend on how fast this shared
 * machine runs the six requests (the stream's bucket never refills). Each request has an empty
 * body and is answered before the next starts, so the stream's one-connection limit is never what
 * refuses it.
 */
class PutMediaRequestRateTest {
  private static final Clock FROZEN = Clock.fixed(Instant.now(), ZoneOffset.UTC);

  @RegisterExtension static final InProcessServer QUOTAS = InProcessServer.configured(c -> c
      .withClock(FROZEN));
  @RegisterExtension static final InProcessServer NO_QUOTAS = InProcessServer.configured(c -> c
      .withClock(FROZEN)
      .withLimits(ServiceLimits.awsDefaults().withFragmentQuotas(false,
          ServiceLimits.awsDefaults().metadataPointsPerSecond(),
          ServiceLimits.awsDefaults().mediaPointsPerSecond())));

  @Test
  void putMedia_sixthRequestInOneSecondOnAStream_clientLimitExceeded() {
    List<PutMediaClient.Response> responses = sixEmptyUploads(QUOTAS, "rate-quotas");

    assertThat(responses.subList(0, 5)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(responses.get(5).status()).isEqualTo(400);
    assertThat(responses.get(5).body()).contains("ClientLimitExceededException");
    KinesisVideoClient kv = QUOTAS.kinesisVideo();
    Streams.create(kv, "rate-other", 24);
    assertThat(upload(QUOTAS, kv, "rate-other").status()).as("another stream").isEqualTo(200);
  }

  @Test
  void putMedia_sixRequestsInOneSecondWithoutQuotas_allAccepted() {
    List<PutMediaClient.Response> responses = sixEmptyUploads(NO_QUOTAS, "rate-no-quotas");

    assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }

  private static List<PutMediaClient.Response> sixEmptyUploads(InProcessServer server,
      String stream) {
    KinesisVideoClient kv = server.kinesisVideo();
    Streams.create(kv, stream, 0);
    List<PutMediaClient.Response> responses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      responses.add(upload(server, kv, stream));
    }
    return responses;
  }

  /** A PutMedia whose body is empty: the server answers 200 and ends, or refuses it. */
  private static PutMediaClient.Response upload(InProcessServer server, KinesisVideoClient kv,
      String stream) {
    return InProcessServer.putMedia(Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA))
        .put(Target.relative(stream, FROZEN.instant()), Signing.EMPTY_PAYLOAD_HASH,
            new ByteArrayInputStream(new byte[0]), Streams.UPLOAD_TIMEOUT);
  }
}
