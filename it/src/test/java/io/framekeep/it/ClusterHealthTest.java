package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.StorageBackend;
import io.framekeep.testing.cluster.PostgresServer;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /health} of a cluster node tells a load balancer whether the node can serve: 200 "ok" with
 * PostgreSQL and the object store up, 503 naming the engine that is down while one is stopped, and 200 again
 * by itself once it is back. The node runs on PostgreSQL and S3Proxy servers of this class alone, so that
 * stopping them disturbs no other test.
 *
 * <p>Runs only with the cluster switch ({@code -Dframekeep.storage=cluster}); the embedded backend's
 * unchanged answer is {@code HttpRouterTest.health_get_answers200}.
 */
class ClusterHealthTest {
  /**
   * A change must show within this: the node keeps a result for 1 s and each engine's check gives up
   * after 2 s; the rest is slack for a shared machine.
   */
  private static final Duration STATE_CHANGE_LIMIT = Duration.ofSeconds(10);
  /** One health request must answer within this even while an engine is down (the checks' bounds). */
  private static final Duration REQUEST_LIMIT = Duration.ofSeconds(6);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static PostgresServer postgres;
  private static S3ProxyServer s3;
  private static Path dataDir;
  private static FramekeepServer node;

  @BeforeAll
  static void startNode() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "cluster health runs with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    // Started here rather than by the ClusterServers extension, which would start them before the
    // switch is looked at, in embedded runs too.
    postgres = PostgresServer.start();
    s3 = S3ProxyServer.launch();
    dataDir = Files.createTempDirectory("framekeep-it-health-");
    Map<String, String> settings = Map.of(
        "database-url", postgres.jdbcUrl(),
        "s3-endpoint", s3.endpoint(),
        "s3-bucket", S3ProxyServer.BUCKET,
        "s3-region", S3ProxyServer.REGION,
        "s3-path-style", "true",
        "s3-access-key-id", S3ProxyServer.ACCESS_KEY_ID,
        "s3-secret-access-key", S3ProxyServer.SECRET_ACCESS_KEY,
        "node-id", "health-node");
    node = FramekeepServer.start(ServerConfig.defaults(dataDir).withPort(0)
        .withCredential(InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)
        .withStorageSettings(settings), StorageBackend.CLUSTER);
  }

  @AfterAll
  static void stopNode() throws Exception {
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
  void health_bothEnginesUp_answers200Ok() throws Exception {
    HttpResponse<String> response = awaitStatus(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }

  @Test
  void health_objectStoreStopped_answers503NamingItThen200WhenItReturns() throws Exception {
    awaitStatus(200);
    s3.stop();
    try {
      HttpResponse<String> down = awaitStatus(503);
      assertThat(down.body()).startsWith("object store: ").doesNotContain("database");
    } finally {
      s3.start();
    }
    assertThat(awaitStatus(200).body()).isEqualTo("ok\n");
  }

  @Test
  void health_databaseStopped_answers503NamingItThen200WhenItReturns() throws Exception {
    awaitStatus(200);
    postgres.stop();
    try {
      HttpResponse<String> down = awaitStatus(503);
      assertThat(down.body()).startsWith("database: ").doesNotContain("object store");
    } finally {
      postgres.restart();
    }
    assertThat(awaitStatus(200).body()).isEqualTo("ok\n");
  }

  /** Polls /health until it answers {@code status}; every answer must come within REQUEST_LIMIT. */
  private static HttpResponse<String> awaitStatus(int status) throws Exception {
    long deadline = System.nanoTime() + STATE_CHANGE_LIMIT.toNanos();
    HttpResponse<String> response;
    do {
      long started = System.nanoTime();
      response = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health"))
          .timeout(REQUEST_LIMIT).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REQUEST_LIMIT);
      if (response.statusCode() == status) {
        return response;
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    } while (System.nanoTime() < deadline);
    throw new AssertionError("/health still answers " + response.statusCode() + " " + response.body()
        + " after " + STATE_CHANGE_LIMIT + ", expected " + status);
  }
}
