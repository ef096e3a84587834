package io.framekeep.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Figure 4: N concurrent PutMedia streams, each paced at real time (one 1 s cluster per second of the
 * 1080p30 4 Mbps source), starts spread over the first second. PERSISTED latency = ack arrival minus the
 * moment the cluster's last byte was written; CPU = the server process's user+system time over the run.
 */
final class IngestBench {
  /** Fragments per stream counted as warm-up (connections opening, JIT) in the steady-state line. */
  static final int WARM_UP_FRAGMENTS = 5;

  private IngestBench() {}

  /**
   * @param warmUpSeconds when positive, the same number of other streams upload this long first (unmeasured),
   *     so that the measured round meets a server past its start-up (JIT, threads, connections)
   */
  static void run(Path work, Path mkvFile, int streams, int seconds, int warmUpSeconds) throws Exception {
    MkvClusters mkv = MkvClusters.scan(mkvFile);
    int clusters = Math.min(seconds, mkv.count());
    Path dataDir = DataDirs.create(work, "ingest-data-");
    try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
      if (warmUpSeconds > 0) {
        round(server, mkv, streams, Math.min(warmUpSeconds, mkv.count()), "warm");
        System.out.printf("ingest: warm-up round of %d streams x %d s done%n", streams, warmUpSeconds);
      }
      double cpu0 = server.cpuSeconds();
      long t0 = System.nanoTime();
      List<Uploader> uploaders = round(server, mkv, streams, clusters, "cam");
      double wallS = (System.nanoTime() - t0) / 1e9;
      double cpuS = server.cpuSeconds() - cpu0;
      report(mkv, uploaders, clusters, wallS);
      System.out.printf("ingest: server CPU %.1f s over %.1f s wall = %.2f cores; peak RSS %.0f MiB%n", cpuS, wallS,
          cpuS / wallS, server.peakRssMiB());
    } finally {
      DataDirs.delete(dataDir);
    }
  }

  /** Creates {@code streams} streams named {@code prefix + i} and uploads to all, starts spread over 1 s. */
  private static List<Uploader> round(ServerProcess server, MkvClusters mkv, int streams, int clusters,
      String prefix) throws Exception {
    for (int s = 0; s < streams; s++) {
      RawHttp.createStream(server.port, prefix + s);
    }
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    List<Uploader> uploaders = new ArrayList<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      Uploader u = new Uploader(mkv, clusters);
      uploaders.add(u);
      String name = prefix + s;
      long delayMs = 1000L * s / streams;
      futures.add(pool.submit(() -> {
        Thread.sleep(delayMs);
        u.run(server.port, name, System.currentTimeMillis(), 1000);
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return uploaders;
  }

  static void report(MkvClusters mkv, List<Uploader> uploaders, int clusters, double wallS) {
    int streams = uploaders.size();
    double[] latMs = new double[streams * clusters];
    double[] steadyMs = new double[streams * Math.max(0, clusters - WARM_UP_FRAGMENTS)];
    int k = 0;
    int steady = 0;
    long bytes = 0;
    for (Uploader u : uploaders) {
      for (int i = 0; i < clusters; i++) {
        latMs[k++] = (u.persistedNs[i] - u.sentNs[i]) / 1e6;
        if (i >= WARM_UP_FRAGMENTS) {
          steadyMs[steady++] = latMs[k - 1];
        }
        bytes += mkv.lengths()[i];
      }
    }
    System.out.printf("ingest: %d streams x %d s paced (%.1f MB/s total), %d fragments%n", streams, clusters,
        bytes / 1e6 / wallS, latMs.length);
    System.out.printf("ingest: PERSISTED latency ms p50 %s p99 %s max %s%n", Stats.fmt(Stats.median(latMs)),
        Stats.fmt(Stats.percentile(latMs, 99)), Stats.fmt(Stats.percentile(latMs, 100)));
    for (int i = 0; i < Math.min(clusters, WARM_UP_FRAGMENTS); i++) {
      double[] atIndex = new double[streams];
      for (int u = 0; u < streams; u++) {
        atIndex[u] = (uploaders.get(u).persistedNs[i] - uploaders.get(u).sentNs[i]) / 1e6;
      }
      System.out.printf("ingest: fragment %d of each stream: p50 %s p99 %s%n", i, Stats.fmt(Stats.median(atIndex)),
          Stats.fmt(Stats.percentile(atIndex, 99)));
    }
    if (steady > 0) {
      System.out.printf("ingest: after each stream's first %d fragments: p50 %s p99 %s max %s%n",
          WARM_UP_FRAGMENTS, Stats.fmt(Stats.median(steadyMs)), Stats.fmt(Stats.percentile(steadyMs, 99)),
          Stats.fmt(Stats.percentile(steadyMs, 100)));
    }
  }
}
