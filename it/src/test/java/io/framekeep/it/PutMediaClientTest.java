package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The PutMedia client's signing modes differ as intended, so the server tests that accept each
 * mode really exercise different requests.
 */
class PutMediaClientTest {
  private static final PutMediaClient CLIENT = new PutMediaClient(
      URI.create("http://127.0.0.1:8567"), InProcessServer.credentials(), "us-east-1");
  private static final Target TARGET =
      Target.relative("cam-1", Instant.ofEpochMilli(1_700_000_000_123L));
  /** SHA-256 of the empty string, hex. */
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void sign_emptyPayloadHash_noContentShaHeaderAndProducerHeadersSigned() {
    SdkHttpRequest r = CLIENT.sign(TARGET, Signing.EMPTY_PAYLOAD_HASH);

    assertThat(r.firstMatchingHeader("x-amz-content-sha256")).isEmpty();
    assertThat(r.firstMatchingHeader("x-amz-date")).isPresent();
    assertThat(r.firstMatchingHeader("Authorization")).hasValueSatisfying(a -> assertThat(a)
        .startsWith("AWS4-HMAC-SHA256 Credential=" + InProcessServer.ACCESS_KEY_ID + "/")
        .contains("/us-east-1/kinesisvideo/aws4_request")
        .contains("x-amzn-stream-name", "x-amzn-producer-start-timestamp", "host"));
    assertThat(r.firstMatchingHeader("x-amzn-producer-start-timestamp"))
        .hasValue("1700000000.123");
  }

  @Test
  void producerSigV4_sameInputAsSdkSigner_sameAuthorization() {
    Instant now = Instant.parse("2026-11-26T12:34:56Z");
    SdkHttpRequest unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(URI.create("http://127.0.0.1:8567/putMedia"))
        .putHeader("Host", "127.0.0.1:8567")
        .putHeader("x-amzn-stream-name", "cam-1")
        .putHeader("x-amzn-fragment-timecode-type", "RELATIVE")
        .build();
    // No Transfer-Encoding/Connection/User-Agent here: the SDK leaves those unsigned, the
    // producer SDK (and ProducerSigV4) signs them.

    SignedRequest bySdk = AwsV4HttpSigner.create().sign(r -> r
        .identity(InProcessServer.credentials())
        .request(unsigned)
        .payload(InputStream::nullInputStream)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kinesisvideo")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-west-2")
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));
    // The SDK signs an x-amz-content-sha256 header it adds itself; give ours the same header.
    SdkHttpRequest ours = ProducerSigV4.sign(
        unsigned.toBuilder().putHeader("x-amz-content-sha256", EMPTY_SHA256).build(),
        InProcessServer.credentials(), "us-west-2", "kinesisvideo", now, EMPTY_SHA256);

    assertThat(bySdk.request().firstMatchingHeader("x-amz-content-sha256"))
        .hasValue(EMPTY_SHA256);
    assertThat(ours.firstMatchingHeader("Authorization"))
        .isEqualTo(bySdk.request().firstMatchingHeader("Authorization"));
    assertThat(ours.firstMatchingHeader("X-Amz-Date"))
        .isEqualTo(bySdk.request().firstMatchingHeader("X-Amz-Date"));
  }

  @Test
  void sign_unsignedPayload_contentShaHeaderSignedAsUnsignedPayload() {
    SdkHttpRequest r = CLIENT.sign(TARGET, Signing.UNSIGNED_PAYLOAD);

    assertThat(r.firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
    assertThat(r.firstMatchingHeader("Authorization")).hasValueSatisfying(
        a -> assertThat(a).contains("x-amz-content-sha256"));
  }

  @Test
  void sign_none_noAuthorization() {
    SdkHttpRequest r = CLIENT.sign(TARGET, Signing.NONE);

    assertThat(r.firstMatchingHeader("Authorization")).isEmpty();
    assertThat(r.firstMatchingHeader("x-amz-date")).isEmpty();
  }
}
