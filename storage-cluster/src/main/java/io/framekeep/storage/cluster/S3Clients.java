package io.framekeep.storage.cluster;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the S3 client of a {@link ClusterConfig}. */
public final class S3Clients {

  /**
   * 64 connections: a node has up to {@code maxFlushesInFlight} PUTs plus several ranged GETs for each of its
   * concurrent clip readers in flight.
   */
  static final int MAX_CONNECTIONS = 64;

  /** 2 s to connect: an object store that does not answer a TCP handshake in 2 s is down for our purposes. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * 30 s per attempt: an 8 MiB PUT needs under a second on any working link; beyond this the flush fails and
   * its producers get an error ack instead of waiting indefinitely.
   */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * 3 attempts (the SDK's standard retry with backoff): rides over a dropped connection or a 503 slow-down,
   * while an object store that is down fails a flush within seconds.
   */
  static final int MAX_ATTEMPTS = 3;

  private S3Clients() {}

  /**
   * A client for the configured endpoint, region and addressing style. Checksums are computed and validated
   * only where S3 requires them: AWS S3 and MinIO accept either way, and S3Proxy rejects the SDK's default
   * streaming checksums.
   */
  public static S3Client create(ClusterConfig config) {
    var builder = S3Client.builder()
        .region(Region.of(config.s3Region()))
        .forcePathStyle(config.s3PathStyle())
        .credentialsProvider(credentials(config))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(MAX_CONNECTIONS)
            .connectionTimeout(CONNECT_TIMEOUT))
        .overrideConfiguration(o -> o
            .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
            .retryStrategy(r -> r.maxAttempts(MAX_ATTEMPTS)));
    if (config.s3Endpoint() != null) {
      builder.endpointOverride(config.s3Endpoint());
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(ClusterConfig config) {
    if (config.s3AccessKeyId() != null) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(config.s3AccessKeyId(), config.s3SecretAccessKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
