package io.framekeep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cluster ingest: N paced 4 Mbps PutMedia streams (the paced streams of {@link IngestBench}, real MKV, one
 * 1 s cluster per second) spread round-robin over several Framekeep node JVMs on one PostgreSQL and one
 * S3Proxy ({@link BenchCluster}), flushes at their defaults (250 ms or 8 MiB). Reports PERSISTED latency,
 * object-store requests per second counted exactly by the proxy, PostgreSQL transactions per second
 * ({@code pg_stat_database.xact_commit}), CPU per node and of the two engines (from /proc), the object-store
 * cost per stream-hour at S3 Standard list prices, and any warning or error the nodes logged, shutdown
 * included.
 */
final class ClusterIngestBench {
  /**
   * 11 s: a PostgreSQL backend reports its transaction counts 10 s after it went idle at the latest, so
   * after this pause the counts of the set-up (schema migration, stream creation) are all in.
   */
  private static final long STATS_SETTLE_MS = 11_000;

  private ClusterIngestBench() {}

  /**
   * @param warmUpSeconds when positive, the same number of other streams upload this long first (unmeasured),
   *     so that the measured round meets nodes past their start-up (JIT, S3 and database connections)
   */
  static void run(Path work, Path mkvFile, int streams, int seconds, int nodeCount, int warmUpSeconds)
      throws Exception {
    MkvClusters mkv = MkvClusters.scan(mkvFile);
    int clusters = Math.min(seconds, mkv.count());
    System.out.printf("cluster-ingest: %d streams x %d s over %d nodes, warm-up %d s; load average %s%n", streams,
        clusters, nodeCount, warmUpSeconds, ProcCpu.loadAverage());
    List<ServerProcess> nodes = new ArrayList<>();
    List<Path> nodeWorks = new ArrayList<>();
    try (BenchCluster cluster = BenchCluster.start()) {
      for (int n = 0; n < nodeCount; n++) {
        Path nodeWork = Files.createDirectories(work.resolve("cluster-node-" + n));
        Files.deleteIfExists(nodeWork.resolve("server.log"));
        Files.deleteIfExists(nodeWork.resolve("server.out"));
        nodeWorks.add(nodeWork);
        Path dataDir = DataDirs.create(nodeWork, "data-");
        nodes.add(ServerProcess.start(dataDir, nodeWork, null,
            cluster.nodeOptions("node-" + n, Optional.empty(), 0)));
      }
      for (int s = 0; s < streams; s++) {
        RawHttp.createStream(nodes.get(s % nodeCount).port, "cam" + s);
      }
      if (warmUpSeconds > 0) {
        for (int s = 0; s < streams; s++) {
          RawHttp.createStream(nodes.get(s % nodeCount).port, "warm" + s);
        }
        List<String> failed = round(nodes, mkv, streams, Math.min(warmUpSeconds, mkv.count()), "warm",
            new ArrayList<>(), new ArrayList<>());
        System.out.printf("cluster-ingest: warm-up round of %d streams x %d s done, %d failed%n", streams,
            warmUpSeconds, failed.size());
      }
      Thread.sleep(STATS_SETTLE_MS);

      CountingHttpProxy.Counts s3Before = cluster.proxy.counts();
      long xactBefore = cluster.committedTransactions();
      double[] cpuBefore = new double[nodeCount];
      for (int n = 0; n < nodeCount; n++) {
        cpuBefore[n] = nodes.get(n).cpuSeconds();
      }
      double pgCpuBefore = cluster.postgresCpuSeconds();
      double s3CpuBefore = cluster.s3ProxyCpuSeconds();
      long self = ProcessHandle.current().pid();
      double clientCpuBefore = ProcCpu.seconds(self);
      long t0 = System.nanoTime();

      List<Uploader> done = new ArrayList<>();
      List<Uploader> all = new ArrayList<>();
      List<String> failures = round(nodes, mkv, streams, clusters, "cam", done, all);
      long persisted = all.stream().mapToLong(Uploader::persistedCount).sum();

      double wallS = (System.nanoTime() - t0) / 1e9;
      CountingHttpProxy.Counts s3 = cluster.proxy.counts().minus(s3Before);
      double[] cpu = new double[nodeCount];
      for (int n = 0; n < nodeCount; n++) {
        cpu[n] = nodes.get(n).cpuSeconds() - cpuBefore[n];
      }
      double pgCpu = cluster.postgresCpuSeconds() - pgCpuBefore;
      double s3Cpu = cluster.s3ProxyCpuSeconds() - s3CpuBefore;
      double clientCpu = ProcCpu.seconds(self) - clientCpuBefore;
      String loadAfter = ProcCpu.loadAverage();
      for (ServerProcess node : nodes) {
        node.close();
      }
      nodes.clear();
      // Backends report their last counts as they exit, once the nodes' pools have closed.
      Thread.sleep(2_000);
      long xact = cluster.committedTransactions() - xactBefore;

      if (!done.isEmpty()) {
        IngestBench.report(mkv, done, clusters, wallS);
      }
      System.out.printf(Locale.ROOT, "cluster-ingest: %d of %d streams uploaded every fragment PERSISTED; %d of %d"
          + " fragments PERSISTED in all%n", done.size(), streams, persisted, (long) streams * clusters);
      failures.stream().limit(10).forEach(f -> System.out.println("cluster-ingest: FAILED " + f));
      report(s3, xact, wallS, persisted, cluster.proxy.relayFailures());
      StringBuilder cpuLine = new StringBuilder();
      for (int n = 0; n < nodeCount; n++) {
        cpuLine.append(String.format(Locale.ROOT, " node-%d %.2f", n, cpu[n] / wallS));
      }
      System.out.printf(Locale.ROOT, "cluster-ingest: CPU cores over %.1f s wall:%s; PostgreSQL %.2f; S3Proxy %.2f;"
          + " this JVM (producers and counting proxy) %.2f; load average at the end %s%n", wallS, cpuLine,
          pgCpu / wallS, s3Cpu / wallS, clientCpu / wallS, loadAfter);
      for (int n = 0; n < nodeCount; n++) {
        List<String> problems = BenchCluster.problems(nodeWorks.get(n));
        System.out.printf("cluster-ingest: node-%d logged %d warning/error lines (shutdown included)%n", n,
            problems.size());
        problems.stream().limit(5).forEach(p -> System.out.println("cluster-ingest:   " + p));
      }
    } finally {
      for (ServerProcess node : nodes) {
        node.close();
      }
      for (Path nodeWork : nodeWorks) {
        try (var dirs = Files.list(nodeWork)) {
          for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("data-")).toList()) {
            DataDirs.delete(d);
          }
        }
      }
    }
  }

  /**
   * Uploads to every stream (stream i through node i mod n), starts spread over 1 s; returns what went wrong
   * with the streams that did not get every fragment PERSISTED, and adds the others to {@code done}.
   */
  private static List<String> round(List<ServerProcess> nodes, MkvClusters mkv, int streams, int clusters,
      String prefix, List<Uploader> done, List<Uploader> all) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    List<Uploader> uploaders = new ArrayList<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      Uploader u = new Uploader(mkv, clusters);
      uploaders.add(u);
      all.add(u);
      String name = prefix + s;
      int port = nodes.get(s % nodes.size()).port;
      long delayMs = 1000L * s / streams;
      futures.add(pool.submit(() -> {
        Thread.sleep(delayMs);
        u.run(port, name, System.currentTimeMillis(), 1000);
        return null;
      }));
    }
    List<String> failures = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      try {
        futures.get(s).get();
        done.add(uploaders.get(s));
      } catch (java.util.concurrent.ExecutionException e) {
        failures.add(prefix + s + ": " + e.getCause());
      }
    }
    pool.shutdown();
    return failures;
  }

  /** @param persisted 1 s fragments acked PERSISTED: the stream-seconds of media the traffic stored */
  private static void report(CountingHttpProxy.Counts s3, long xact, double wallS, long persisted,
      long relayFailures) {
    long puts = s3.requests("PUT");
    long putBytes = s3.requestBodyBytes("PUT");
    System.out.printf(Locale.ROOT, "cluster-ingest: object store: %d PUT = %.1f PUT/s, %.1f MB put (mean object %.2f MB),"
        + " %d GET, %d HEAD, other requests %s, responses >= 300: %d, relay failures %d%n", puts, puts / wallS,
        putBytes / 1e6, puts == 0 ? 0 : putBytes / 1e6 / puts, s3.requests("GET"), s3.requests("HEAD"),
        others(s3), s3.errorResponses(), relayFailures);
    double[] putMs = s3.durationsMs("PUT");
    if (putMs.length > 0) {
      System.out.printf(Locale.ROOT, "cluster-ingest: PUT duration at the proxy (request line to last response"
          + " byte) ms p50 %s p99 %s max %s%n", Stats.fmt(Stats.median(putMs)), Stats.fmt(Stats.percentile(putMs, 99)),
          Stats.fmt(Stats.percentile(putMs, 100)));
    }
    System.out.printf(Locale.ROOT, "cluster-ingest: PostgreSQL: %d transactions committed = %.1f per s"
        + " (from the first upload until the nodes had stopped)%n", xact, xact / wallS);
    double streamHours = persisted / 3600.0;
    System.out.println("cluster-ingest: " + CostLine.perStreamHour(puts / streamHours,
        s3.requests("GET") / streamHours, putBytes / streamHours));
  }

  private static String others(CountingHttpProxy.Counts s3) {
    StringBuilder b = new StringBuilder();
    s3.requests().forEach((method, n) -> {
      if (!method.equals("PUT") && !method.equals("GET") && !method.equals("HEAD") && n > 0) {
        b.append(method).append(' ').append(n).append(' ');
      }
    });
    return b.length() == 0 ? "none" : b.toString().trim();
  }
}
