package io.framekeep.bench;

import io.framekeep.testing.cluster.PostgresServer;
import io.framekeep.testing.cluster.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The engines a cluster benchmark runs its nodes on, all on this machine: one real PostgreSQL and one S3Proxy
 * (the {@code cluster-test-servers} fixtures, so nothing needs installing), with a {@link CountingHttpProxy}
 * in front of S3Proxy that the nodes are pointed at, so that every object-store request is counted. The
 * nodes use database {@value #DATABASE}; its {@code pg_stat_database} row gives the transactions.
 *
 * <p>The PostgreSQL is the test fixture's: {@code fsync=off}, so a commit costs no disk flush here.
 */
final class BenchCluster implements AutoCloseable {
  static final String DATABASE = "framekeep";
  /**
   * S3Proxy with the JVM's defaults (full JIT, default collector) and a 1 GiB heap, not the tests' settings
   * (C1 only, 256 MiB, serial collector), which are chosen for start-up time: the object store verifies the
   * SigV4 signature of every 128 KiB chunk of a PUT and hashes it, work a benchmark should not slow down.
   */
  static final List<String> S3PROXY_JVM_OPTIONS = List.of("-Xmx1g");

  final PostgresServer postgres;
  final S3ProxyServer s3;
  final CountingHttpProxy proxy;

  private BenchCluster(PostgresServer postgres, S3ProxyServer s3, CountingHttpProxy proxy) {
    this.postgres = postgres;
    this.s3 = s3;
    this.proxy = proxy;
  }

  static BenchCluster start() throws IOException, SQLException {
    CompletableFuture<S3ProxyServer> s3Starting = CompletableFuture.supplyAsync(() -> {
      try {
        return S3ProxyServer.launch(S3PROXY_JVM_OPTIONS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    PostgresServer postgres = PostgresServer.start();
    S3ProxyServer s3 = s3Starting.join();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
    return new BenchCluster(postgres, s3, new CountingHttpProxy(s3.port()));
  }

  /** {@link BenchServer} options of a node of this cluster (flush settings and the rest at their defaults). */
  List<String> nodeOptions(String nodeId, Optional<Path> cacheDir, long cacheSizeBytes) {
    List<String> options = new ArrayList<>(List.of("cluster",
        "database-url=" + postgres.jdbcUrl(DATABASE),
        "s3-endpoint=" + proxy.endpoint(),
        "s3-bucket=" + S3ProxyServer.BUCKET,
        "s3-region=" + S3ProxyServer.REGION,
        "s3-path-style=true",
        "s3-access-key-id=" + S3ProxyServer.ACCESS_KEY_ID,
        "s3-secret-access-key=" + S3ProxyServer.SECRET_ACCESS_KEY,
        "node-id=" + nodeId));
    cacheDir.ifPresent(dir -> {
      options.add("cache-dir=" + dir);
      options.add("cache-size=" + cacheSizeBytes);
    });
    return options;
  }

  /**
   * Transactions committed in the nodes' database so far ({@code pg_stat_database.xact_commit}). A backend
   * reports its counts at most once a second while busy, 10 s after going idle, and when it exits, so a
   * delta is exact only between moments when every node backend has been idle that long or has exited.
   */
  long committedTransactions() throws SQLException {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = '" + DATABASE + "'")) {
      r.next();
      return r.getLong(1);
    }
  }

  /** CPU seconds of the PostgreSQL server: the postmaster, its live backends, and those that exited. */
  double postgresCpuSeconds() throws IOException {
    return ProcCpu.treeSeconds(child(p -> p.info().command().orElse("").endsWith("/postgres"), "postgres"));
  }

  /** CPU seconds of the S3Proxy JVM. */
  double s3ProxyCpuSeconds() throws IOException {
    return ProcCpu.treeSeconds(child(p -> String.join(" ", p.info().arguments().orElse(new String[0]))
        .contains("s3proxy"), "s3proxy"));
  }

  /** The pid of this JVM's child process that {@code which} picks. */
  private static long child(java.util.function.Predicate<ProcessHandle> which, String what) throws IOException {
    return ProcessHandle.current().children().filter(which).findFirst().map(ProcessHandle::pid)
        .orElseThrow(() -> new IOException("no " + what + " child process"));
  }

  @Override
  public void close() throws IOException {
    try (PostgresServer p = postgres; S3ProxyServer s = s3; CountingHttpProxy c = proxy) {
      // closed in reverse order
    }
  }

  /** The first lines of a node's log files that report a warning, an error or an exception. */
  static List<String> problems(Path nodeWork) throws IOException {
    List<String> found = new ArrayList<>();
    for (String name : List.of("server.log", "server.out")) {
      Path log = nodeWork.resolve(name);
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.contains("WARN") || line.contains("ERROR") || line.contains("Exception")) {
            found.add(name + ": " + line);
          }
        }
      }
    }
    return found;
  }
}
