package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/** SigV4 checking: SDK calls with bad credentials, and the PutMedia signing modes. */
class AuthTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();

  private static KinesisVideoClient kv;

  @BeforeAll
  static void client() {
    kv = SERVER.kinesisVideo();
  }

  @Test
  void sdkCall_wrongSecret_invalidSignatureException403() {
    KinesisVideoClient wrong = SERVER.kinesisVideo(InProcessServer.ACCESS_KEY_ID, "not-the-secret");

    assertThatThrownBy(() -> wrong.listStreams(r -> { }))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
          assertThat(e.statusCode()).isEqualTo(403);
        });
  }

  @Test
  void sdkCall_unknownAccessKey_unrecognizedClientException403() {
    KinesisVideoClient unknown = SERVER.kinesisVideo("AKIDUNKNOWN0000", "secret");

    assertThatThrownBy(() -> unknown.listStreams(r -> { }))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
          assertThat(e.statusCode()).isEqualTo(403);
        });
  }

  @Test
  void archivedMediaCall_wrongSecret_invalidSignatureException() {
    Streams.create(kv, "auth-archived", 24);
    URI endpoint = Streams.dataEndpoint(kv, "auth-archived", APIName.LIST_FRAGMENTS);
    KinesisVideoArchivedMediaClient client =
        SERVER.archivedMedia(endpoint, InProcessServer.ACCESS_KEY_ID, "not-the-secret");

    assertThatThrownBy(() -> client.listFragments(r -> r.streamName("auth-archived")
        .fragmentSelector(Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP,
            Instant.now().minusSeconds(60), Instant.now()))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
          assertThat(e.statusCode()).isEqualTo(403);
        });
  }

  @Test
  void putMedia_emptyPayloadHashSignature_accepted() {
    PutMediaClient.Response response = upload("auth-empty-hash", Signing.EMPTY_PAYLOAD_HASH,
        InProcessServer.putMedia(endpoint("auth-empty-hash")));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.acks("PERSISTED"))
        .hasSize(Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size());
  }

  @Test
  void putMedia_unsignedPayloadSignature_accepted() {
    PutMediaClient.Response response = upload("auth-unsigned-payload", Signing.UNSIGNED_PAYLOAD,
        InProcessServer.putMedia(endpoint("auth-unsigned-payload")));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.acks("PERSISTED"))
        .hasSize(Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size());
  }

  @Test
  void putMedia_noSignature_refused403() {
    PutMediaClient.Response response = upload("auth-unsigned", Signing.NONE,
        InProcessServer.putMedia(endpoint("auth-unsigned")));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.acks()).isEmpty();
  }

  @Test
  void putMedia_wrongSecret_refused403InvalidSignature() {
    PutMediaClient wrong = new PutMediaClient(endpoint("auth-wrong-secret"),
        AwsBasicCredentials.create(InProcessServer.ACCESS_KEY_ID, "not-the-secret"),
        InProcessServer.REGION.id());

    PutMediaClient.Response response = upload("auth-wrong-secret", Signing.EMPTY_PAYLOAD_HASH,
        wrong);

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.errorType()).startsWith("InvalidSignatureException");
    assertThat(response.acks()).isEmpty();
  }

  private static URI endpoint(String stream) {
    Streams.create(kv, stream, 24);
    return Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA);
  }

  private static PutMediaClient.Response upload(String stream, Signing signing,
      PutMediaClient client) {
    return client.put(Target.relative(stream, Instant.now().truncatedTo(ChronoUnit.MILLIS)),
        signing, new ByteArrayInputStream(TestMedia.h264AacBytes()), Streams.UPLOAD_TIMEOUT);
  }
}
