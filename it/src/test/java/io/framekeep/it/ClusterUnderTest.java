package io.framekeep.it;

import io.framekeep.server.StorageBackend;
import io.framekeep.testing.cluster.PostgresServer;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The switch that runs the integration suite against the cluster backend: with
 * {@code -Dframekeep.storage=cluster} (or {@code FRAMEKEEP_IT_STORAGE=cluster}),
 * {@link InProcessServer} starts its servers with {@code --storage cluster} on one real PostgreSQL
 * and one S3Proxy, started once per JVM (the fixtures stop them when the JVM exits), each server
 * on a fresh database of its own so that test classes never see each other's streams.
 *
 * <p>Thread-safe.
 */
final class ClusterUnderTest {
  static final String PROPERTY = "framekeep.storage";
  static final String VARIABLE = "FRAMEKEEP_IT_STORAGE";

  private static final AtomicInteger NEXT_DATABASE = new AtomicInteger();
  private static PostgresServer postgres;
  private static S3ProxyServer s3;

  private ClusterUnderTest() {}

  /** The backend the suite runs on: embedded unless the switch names cluster. */
  static StorageBackend backend() {
    String name = System.getProperty(PROPERTY, System.getenv().getOrDefault(VARIABLE, "embedded"));
    return StorageBackend.named(name).orElseThrow(() ->
        new IllegalArgumentException("-D" + PROPERTY + " must be embedded or cluster, not " + name));
  }

  /**
   * Settings ({@code serve} flags) of a node on a new, empty database of the shared servers,
   * started on first use.
   */
  static synchronized Map<String, String> freshNodeSettings() throws IOException {
    startServers();
    String database = "it" + ProcessHandle.current().pid() + "_" + NEXT_DATABASE.incrementAndGet();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new IOException("cannot create database " + database + ": " + postgres.logTail(), e);
    }
    return settings(postgres.jdbcUrl(database));
  }

  /**
   * The shared S3 server, started by {@link #freshNodeSettings()}; outage tests stop it and must
   * start it again before they end.
   */
  static synchronized S3ProxyServer s3() {
    return s3;
  }

  /**
   * The shared PostgreSQL server, started by {@link #freshNodeSettings()}; restart tests stop it
   * and must start it again before they end.
   */
  static synchronized PostgresServer postgres() {
    return postgres;
  }

  /** The settings of a further node on the database of {@code settings}, with its own node id. */
  static Map<String, String> settings(String jdbcUrl) {
    return Map.of(
        "database-url", jdbcUrl,
        "s3-endpoint", s3.endpoint(),
        "s3-bucket", S3ProxyServer.BUCKET,
        "s3-region", S3ProxyServer.REGION,
        "s3-path-style", "true",
        "s3-access-key-id", S3ProxyServer.ACCESS_KEY_ID,
        "s3-secret-access-key", S3ProxyServer.SECRET_ACCESS_KEY);
  }

  private static void startServers() throws IOException {
    if (postgres != null) {
      return;
    }
    CompletableFuture<S3ProxyServer> s3Starting = CompletableFuture.supplyAsync(() -> {
      try {
        return S3ProxyServer.launch();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      postgres = PostgresServer.start();
    } finally {
      s3 = s3Starting.join();
    }
  }
}
