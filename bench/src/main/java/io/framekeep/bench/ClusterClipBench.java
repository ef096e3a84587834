package io.framekeep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GetClip of a ~100 MB clip (whole 1 s fragments of the 4 Mbps hour, just under the 100 MiB cap) from a
 * cluster node, whose media is in S3Proxy behind the counting proxy, against an embedded server holding the
 * same fragments, measured in the same run. The same first {@link #RANGES} x clip-length seconds of the hour
 * are uploaded unpaced to both. Range 0 warms both JVMs up; each further range is read once from the
 * cluster node "cold" (never read through that node before); then range 1 is read {@link #REPEATS} more
 * times from each, alternating. The node gets {@code --cache-dir}/{@code --cache-size}: when the local cache
 * serves the repeated reads they are "cached" reads, and the run says whether the cache directory holds
 * anything. Reports time to first byte, total time, and the object-store GETs and bytes of each clip.
 *
 * <p>S3Proxy stores objects as files on this machine, so a "cold" read is cold for the node but comes from
 * the page cache; against a remote store each GET would add its round trip.
 */
final class ClusterClipBench {
  static final int RANGES = 4;
  static final int REPEATS = 5;
  static final int WARMUPS = 2;
  /** 2 GiB: room for every clip the bench reads. */
  static final long CACHE_SIZE_BYTES = 2L << 30;

  private ClusterClipBench() {}

  static void run(Path work, Path liveMkv) throws Exception {
    MkvClusters mkv = MkvClusters.scan(liveMkv);
    int clipSeconds = ClipBench.secondsUnderCap(mkv, 0);
    int uploaded = clipSeconds * RANGES;
    System.out.printf("cluster-clip: clip of %d s; %d s uploaded to each server; load average %s%n", clipSeconds,
        uploaded, ProcCpu.loadAverage());
    Path clusterWork = Files.createDirectories(work.resolve("cluster-clip-node"));
    Files.deleteIfExists(clusterWork.resolve("server.log"));
    Files.deleteIfExists(clusterWork.resolve("server.out"));
    Path embeddedWork = Files.createDirectories(work.resolve("cluster-clip-embedded"));
    Path cacheDir = DataDirs.create(clusterWork, "cache-");
    Path nodeData = DataDirs.create(clusterWork, "data-");
    Path embeddedData = DataDirs.create(embeddedWork, "data-");
    try (BenchCluster cluster = BenchCluster.start();
        ServerProcess node = ServerProcess.start(nodeData, clusterWork, null,
            cluster.nodeOptions("clip-node", Optional.of(cacheDir), CACHE_SIZE_BYTES));
        ServerProcess embedded = ServerProcess.start(embeddedData, embeddedWork, null, List.of())) {
      for (ServerProcess server : List.of(node, embedded)) {
        RawHttp.createStream(server.port, ClipBench.STREAM);
        new Uploader(mkv, uploaded).run(server.port, ClipBench.STREAM, ClipBench.PRODUCER_START_MS, 0);
      }
      CountingHttpProxy.Counts afterUpload = cluster.proxy.counts();
      System.out.printf(Locale.ROOT, "cluster-clip: upload to the node: %d PUT, %.1f MB%n",
          afterUpload.requests("PUT"), afterUpload.requestBodyBytes("PUT") / 1e6);

      for (int i = 0; i < WARMUPS; i++) {
        clip(embedded, 0, clipSeconds);
        clip(node, 0, clipSeconds);
      }
      List<Read> cold = new ArrayList<>();
      for (int range = 1; range < RANGES; range++) {
        cold.add(read(cluster, node, range, clipSeconds));
      }
      List<Read> repeated = new ArrayList<>();
      List<RawHttp.Result> embeddedReads = new ArrayList<>();
      for (int i = 0; i < REPEATS; i++) {
        embeddedReads.add(clip(embedded, 1, clipSeconds));
        repeated.add(read(cluster, node, 1, clipSeconds));
      }
      print("cluster node, cold (first read of the range through the node)", cold);
      print("cluster node, repeated (range 1 again)", repeated);
      double[] eTotal = embeddedReads.stream().mapToDouble(RawHttp.Result::totalMs).toArray();
      double[] eTtfb = embeddedReads.stream().mapToDouble(RawHttp.Result::ttfbMs).toArray();
      System.out.printf(Locale.ROOT, "cluster-clip: embedded, same clip, alternating with the repeated reads: %.1f MB"
          + " median %s ms (%.2f GB/s), TTFB median %s ms, over %d reads%n", embeddedReads.get(0).bodyBytes() / 1e6,
          Stats.fmt(Stats.median(eTotal)), embeddedReads.get(0).bodyBytes() / 1e6 / Stats.median(eTotal),
          Stats.fmt(Stats.median(eTtfb)), embeddedReads.size());
      long cached = directoryBytes(cacheDir);
      System.out.printf(Locale.ROOT, "cluster-clip: cache directory after the reads: %.1f MB (%s)%n", cached / 1e6,
          cached > 0 ? "the local cache is in use" : "empty: this build has no local cache, so repeated reads"
              + " went to the object store as well");
      double getsPerClip = repeated.stream().mapToLong(Read::gets).average().orElse(0);
      double getsPerHour = getsPerClip * 3600.0 / clipSeconds;
      System.out.printf(Locale.ROOT, "cluster-clip: reading back one hour of media: %.0f GET ($%.6f at %s)%n",
          getsPerHour, getsPerHour * CostLine.GET_USD_PER_1000 / 1000, CostLine.PRICES);
      System.out.printf("cluster-clip: relay failures %d; node logged %d warning/error lines; load average %s%n",
          cluster.proxy.relayFailures(), BenchCluster.problems(clusterWork).size(), ProcCpu.loadAverage());
      BenchCluster.problems(clusterWork).stream().limit(5).forEach(p -> System.out.println("cluster-clip:   " + p));
    } finally {
      DataDirs.delete(cacheDir);
      DataDirs.delete(nodeData);
      DataDirs.delete(embeddedData);
    }
  }

  /** One GetClip through the cluster node, with the object-store requests it caused. */
  private record Read(RawHttp.Result clip, long gets, long getBytes, long otherRequests, double[] getMs) {}

  private static Read read(BenchCluster cluster, ServerProcess node, int range, int clipSeconds) throws IOException {
    CountingHttpProxy.Counts before = cluster.proxy.counts();
    RawHttp.Result r = clip(node, range, clipSeconds);
    CountingHttpProxy.Counts d = cluster.proxy.counts().minus(before);
    long all = d.requests().values().stream().mapToLong(Long::longValue).sum();
    return new Read(r, d.requests("GET"), d.responseBodyBytes("GET"), all - d.requests("GET"), d.durationsMs("GET"));
  }

  private static RawHttp.Result clip(ServerProcess server, int range, int clipSeconds) throws IOException {
    long start = ClipBench.PRODUCER_START_MS + range * clipSeconds * 1000L;
    RawHttp.Result r = RawHttp.getClip(server.port, ClipBench.STREAM, start, start + clipSeconds * 1000L - 1);
    if (r.status() != 200) {
      throw new IOException("GetClip failed: " + r.status() + " " + r.bodyPrefix());
    }
    return r;
  }

  private static void print(String what, List<Read> reads) {
    double[] total = reads.stream().mapToDouble(r -> r.clip().totalMs()).toArray();
    double[] ttfb = reads.stream().mapToDouble(r -> r.clip().ttfbMs()).toArray();
    StringBuilder each = new StringBuilder();
    for (Read r : reads) {
      each.append(String.format(Locale.ROOT, " %.0f/%.1f ms %d GET %.1f MB;", r.clip().totalMs(), r.clip().ttfbMs(),
          r.gets(), r.getBytes() / 1e6));
    }
    double[] getMs = reads.stream().flatMapToDouble(r -> java.util.Arrays.stream(r.getMs())).toArray();
    System.out.printf(Locale.ROOT, "cluster-clip: %s: %.1f MB, median %s ms (%.2f GB/s), TTFB median %s ms,"
        + " GETs per clip %s (each GET at the proxy ms p50 %s p99 %s), other object-store requests %d;"
        + " each (total/TTFB, GETs, GET bytes):%s%n", what,
        reads.get(0).clip().bodyBytes() / 1e6, Stats.fmt(Stats.median(total)),
        reads.get(0).clip().bodyBytes() / 1e6 / Stats.median(total), Stats.fmt(Stats.median(ttfb)),
        reads.stream().map(r -> Long.toString(r.gets())).toList(),
        getMs.length == 0 ? "-" : Stats.fmt(Stats.median(getMs)), getMs.length == 0 ? "-" : Stats.fmt(Stats.percentile(getMs, 99)),
        reads.stream().mapToLong(Read::otherRequests).sum(), each);
  }

  private static long directoryBytes(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
