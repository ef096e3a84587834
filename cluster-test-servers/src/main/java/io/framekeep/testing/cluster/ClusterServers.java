package io.framekeep.testing.cluster;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class one real PostgreSQL ({@link PostgresServer}) and one real S3 server
 * ({@link S3ProxyServer}), started before the first test (in parallel) and removed after the last:
 *
 * <pre>
 * &#64;RegisterExtension static final ClusterServers SERVERS = new ClusterServers();
 * ... SERVERS.postgres().jdbcUrl() ... SERVERS.s3().endpoint() ...
 * </pre>
 *
 * Tests that stop a server (outage tests) must start it again before they end.
 */
public final class ClusterServers implements BeforeAllCallback, AfterAllCallback {

  private PostgresServer postgres;
  private S3ProxyServer s3;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    CompletableFuture<S3ProxyServer> s3Starting = CompletableFuture.supplyAsync(() -> {
      try {
        return S3ProxyServer.launch();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      postgres = PostgresServer.start();
    } finally {
      s3 = s3Starting.join();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try (PostgresServer p = postgres; S3ProxyServer s = s3) {
      postgres = null;
      s3 = null;
    }
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public S3ProxyServer s3() {
    return s3;
  }
}
