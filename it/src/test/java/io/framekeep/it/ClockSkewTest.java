package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkGlobalTime;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;

/**
 * The AWS SDK for Java v2's clock-skew correction works against Framekeep: the server's clock
 * runs 20 minutes ahead of the client's, so the SDK's first signature is outside the 15 minutes
 * SigV4 allows and is refused with {@code RequestExpired}; the SDK reads the server's time from
 * that answer's {@code Date} header and its retry, signed with the corrected clock, succeeds. Only
 * the SDK's own retry and skew handling are at work (its default retry strategy).
 */
class ClockSkewTest {
  private static final Duration SKEW = Duration.ofMinutes(20);
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withClock(Clock.offset(Clock.systemUTC(), SKEW)));

  /** Status and error type of every attempt the SDK sends. */
  private static final class Attempts implements ExecutionInterceptor {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void afterTransmission(Context.AfterTransmission context,
        ExecutionAttributes attributes) {
      seen.add(context.httpResponse().statusCode() + " "
          + context.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse("")
          + (context.httpResponse().firstMatchingHeader("Date").isPresent() ? " dated" : ""));
    }
  }

  /**
   * The SDK keeps the skew it learnt in a JVM-wide static ({@link SdkGlobalTime}) that every
   * client made afterwards signs with: put it back so that the test classes after this one sign
   * with the real clock.
   */
  @AfterEach
  void forgetLearntSkew() {
    SdkGlobalTime.setGlobalTimeOffset(0);
  }

  @Test
  void clientClock20MinutesBehind_firstAttemptRequestExpired_retryAfterDateSucceeds() {
    Attempts attempts = new Attempts();
    try (KinesisVideoClient kv = KinesisVideoClient.builder()
        .endpointOverride(URI.create(SERVER.baseUrl()))
        .region(InProcessServer.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.addExecutionInterceptor(attempts))
        .build()) {
      kv.createStream(r -> r.streamName("skewed").dataRetentionInHours(1));

      assertThat(attempts.seen).containsExactly("400 RequestExpired dated", "200  dated");

      attempts.seen.clear();
      kv.describeStream(r -> r.streamName("skewed"));
      assertThat(attempts.seen).as("the correction is kept for later calls")
          .containsExactly("200  dated");
    }
  }
}
