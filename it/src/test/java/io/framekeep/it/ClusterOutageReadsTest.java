package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.StorageBackend;
import io.framekeep.testing.cluster.PostgresServer;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * Reads while a storage engine of the cluster is down answer {@code ServiceUnavailable} (503), the
 * KVS common error for a temporary failure of the server, which the AWS SDKs retry: never an
 * InternalFailure, never a hang, never a truncated 200. With the object store stopped, GetClip is
 * refused before its head (listing, which needs only PostgreSQL, still works); with PostgreSQL
 * stopped, ListFragments and GetClip are refused after the pool's 5 s wait for a connection. Both
 * read again by themselves once the engine is back. The node runs on PostgreSQL and S3Proxy
 * servers of this class alone, so that stopping them disturbs no other test.
 *
 * <p>Runs only with the cluster switch (the cluster-backend execution).
 */
class ClusterOutageReadsTest {
  /** A refused read must come within this: the pool's 5 s wait per attempt, two attempts, slack. */
  private static final Duration ANSWER_LIMIT = Duration.ofSeconds(25);
  private static final String STREAM = "outage-reads";

  private static final List<SdkClient> CLIENTS = new ArrayList<>();
  private static PostgresServer postgres;
  private static S3ProxyServer s3;
  private static Path dataDir;
  private static FramekeepServer node;
  private static Streams.Ingest ingest;
  private static int persisted;

  @BeforeAll
  static void startNodeAndIngest() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "outage reads run with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    postgres = PostgresServer.start();
    s3 = S3ProxyServer.launch();
    dataDir = Files.createTempDirectory("framekeep-it-outage-");
    node = FramekeepServer.start(ServerConfig.defaults(dataDir).withPort(0)
        .withCredential(InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)
        .withStorageSettings(Map.of(
            "database-url", postgres.jdbcUrl(),
            "s3-endpoint", s3.endpoint(),
            "s3-bucket", S3ProxyServer.BUCKET,
            "s3-region", S3ProxyServer.REGION,
            "s3-path-style", "true",
            "s3-access-key-id", S3ProxyServer.ACCESS_KEY_ID,
            "s3-secret-access-key", S3ProxyServer.SECRET_ACCESS_KEY,
            "node-id", "outage-node")), StorageBackend.CLUSTER);
    KinesisVideoClient kv = TestClients.build(KinesisVideoClient.builder(),
        URI.create(node.baseUrl()), UrlConnectionHttpClient.create());
    CLIENTS.add(kv);
    Streams.create(kv, STREAM, 24);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    persisted = ingest.response().acks("PERSISTED").size();
    assertThat(persisted).isPositive();
  }

  @AfterAll
  static void stopNode() throws Exception {
    CLIENTS.forEach(SdkClient::close);
    if (node != null) {
      node.close();
    }
    try (PostgresServer p = postgres; S3ProxyServer s = s3) {
      postgres = null;
      s3 = null;
    }
    if (dataDir != null) {
      try (var paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void objectStoreStopped_getClipRefused503AndRetriedByTheSdk_thenServedOnceItIsBack()
      throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    KinesisVideoArchivedMediaClient retrying = archived(attempts, 2);
    s3.stop();
    try {
      assertThat(list(archived(new AtomicInteger(), 1))).as("listing needs only PostgreSQL")
          .hasSize(persisted);
      assertServiceUnavailable(() -> clip(retrying));
      assertThat(attempts.get()).as("attempts of the SDK's standard retry (2 allowed)")
          .isEqualTo(2);
    } finally {
      s3.start();
    }
    assertThat(clip(archived(new AtomicInteger(), 1))).hasSizeGreaterThan(100_000);
  }

  @Test
  void databaseStopped_listAndClipRefused503_thenServedOnceItIsBack() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    KinesisVideoArchivedMediaClient retrying = archived(attempts, 2);
    KinesisVideoArchivedMediaClient once = archived(new AtomicInteger(), 1);
    postgres.stop();
    try {
      assertServiceUnavailable(() -> list(retrying));
      assertThat(attempts.get()).as("attempts of the SDK's standard retry (2 allowed)")
          .isEqualTo(2);
      assertServiceUnavailable(() -> clip(once));
    } finally {
      postgres.restart();
    }
    assertThat(list(once)).hasSize(persisted);
    assertThat(clip(once)).hasSizeGreaterThan(100_000);
  }

  private interface Read {
    Object run() throws Exception;
  }

  private static void assertServiceUnavailable(Read read) {
    long started = System.nanoTime();
    AwsServiceException e = catchThrowableOfType(AwsServiceException.class, read::run);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ANSWER_LIMIT);
    assertThat(e).as("the read's failure").isNotNull();
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
  }

  private static List<Fragment> list(KinesisVideoArchivedMediaClient am) {
    return Streams.listAll(am, STREAM, Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP,
        ingest.producerStart().minusSeconds(1),
        ingest.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1)), null);
  }

  private static byte[] clip(KinesisVideoArchivedMediaClient am) throws Exception {
    try (ResponseInputStream<?> in = am.getClip(r -> r.streamName(STREAM)
        .clipFragmentSelector(s -> s.fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                .endTimestamp(ingest.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1)))))) {
      return in.readAllBytes();
    }
  }

  /** A client on the node with the SDK's standard retry, {@code maxAttempts} attempts, counted. */
  private static KinesisVideoArchivedMediaClient archived(AtomicInteger attempts, int maxAttempts) {
    KinesisVideoArchivedMediaClient client = KinesisVideoArchivedMediaClient.builder()
        .endpointOverride(URI.create(node.baseUrl()))
        .region(InProcessServer.REGION)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts).build())
            .addExecutionInterceptor(new ExecutionInterceptor() {
              @Override
              public void beforeTransmission(Context.BeforeTransmission context,
                  ExecutionAttributes attributes) {
                attempts.incrementAndGet();
              }
            }))
        .build();
    CLIENTS.add(client);
    return client;
  }
}
