package io.framekeep.it;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * AWS SDK clients for tests that run their own server nodes (cluster and migration tests): the test region and
 * credential of {@link InProcessServer}, and no retries, since a retry would hide the failure a test looks for.
 */
final class TestClients {

  private TestClients() {}

  /**
   * Builds {@code builder}'s client on {@code endpoint} with {@code http} (the caller chooses it: Apache's client
   * for GetMedia, whose abort() cuts a long-lived body; the URL-connection client otherwise). The caller closes it.
   */
  static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder, URI endpoint,
      SdkHttpClient http) {
    return builder
        .endpointOverride(endpoint)
        .region(InProcessServer.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)))
        .httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }
}
