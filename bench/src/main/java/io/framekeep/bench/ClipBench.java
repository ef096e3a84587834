package io.framekeep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Figures 1-3 and the unpaced single-stream ingest of figure 4. The one-hour live MKV (1 s clusters, no Cues,
 * as a camera sends it) is ingested once over PutMedia; ffmpeg reads the same media from a copy with Cues so
 * that its seeks are indexed. Every timing is the median of {@link #RUNS} runs after {@link #WARMUPS} warm-ups,
 * page cache warm, client and server on the same machine over loopback.
 */
final class ClipBench {
  static final int RUNS = 5;
  static final int WARMUPS = 2;
  /** Producer start of the ingested hour: any fixed instant works; RELATIVE timecodes count from it. */
  static final long PRODUCER_START_MS = 1_700_000_000_000L;
  static final long CLIP_START_S = 600;
  static final String STREAM = "bench";
  /** The AWS GetClip size cap, as the server applies it. */
  static final long CAP_BYTES = 100L * 1024 * 1024;
  static final int CONCURRENT_CLIPS = 20;
  /** Unpaced uploads of the hour to one server: the first on a fresh JVM, then two more. */
  static final int UNPACED_RUNS = 3;

  private ClipBench() {}

  static void run(Path work, Path liveMkv, Path cuesMkv) throws Exception {
    MkvClusters mkv = MkvClusters.scan(liveMkv);
    Path dataDir = DataDirs.create(work, "clip-data-");
    try {
      ingest(work, dataDir, mkv);
      int clipSeconds = secondsUnderCap(mkv, (int) CLIP_START_S);
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
        figure1(server, cuesMkv, clipSeconds);
      }
      try (ServerProcess server = ServerProcess.start(dataDir, work, "256m", false)) {
        figure3(server);
      }
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, true)) {
        figure2(server, mkv, cuesMkv);
      }
    } finally {
      DataDirs.delete(dataDir);
    }
  }

  /**
   * Figure 4, unpaced: the whole hour in one PutMedia session as fast as the client can send it, {@link
   * #UNPACED_RUNS} times on the same server (each into its own stream; the first into the stream the clip
   * figures read): the first run meets a cold JVM, the later ones a compiled ingest path.
   */
  private static void ingest(Path work, Path dataDir, MkvClusters mkv) throws Exception {
    try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
      for (int run = 1; run <= UNPACED_RUNS; run++) {
        String stream = run == 1 ? STREAM : STREAM + "-again-" + run;
        RawHttp.createStream(server.port, stream);
        Uploader u = new Uploader(mkv, mkv.count());
        double cpu0 = server.cpuSeconds();
        long t0 = System.nanoTime();
        u.run(server.port, stream, PRODUCER_START_MS, 0);
        double s = (u.persistedNs[mkv.count() - 1] - t0) / 1e9;
        System.out.printf(Locale.ROOT, "ingest-unpaced run %d of %d%s: %d fragments, %.0f MB in %.2f s"
            + " = %.0f MB/s; server CPU %.2f cores%n", run, UNPACED_RUNS, run == 1 ? " (fresh server)" : "",
            mkv.count(), mkv.clusterBytes() / 1e6, s, mkv.clusterBytes() / 1e6 / s,
            (server.cpuSeconds() - cpu0) / s);
      }
    }
  }

  /** Whole 1 s fragments from {@code from} whose bytes stay within the cap (what GetClip returns). */
  private static int secondsUnderCap(MkvClusters mkv, int from) {
    long bytes = 0;
    int n = 0;
    while (from + n < mkv.count() && bytes + mkv.lengths()[from + n] <= CAP_BYTES && n < 200) {
      bytes += mkv.lengths()[from + n];
      n++;
    }
    return n;
  }

  private static void figure1(ServerProcess server, Path cuesMkv, int clipSeconds) throws Exception {
    long start = PRODUCER_START_MS + CLIP_START_S * 1000;
    long end = start + clipSeconds * 1000L - 1;
    double[] ttfb = new double[RUNS];
    double[] total = new double[RUNS];
    double[] ffmpeg = new double[RUNS];
    long bytes = 0;
    for (int i = -WARMUPS; i < RUNS; i++) {
      RawHttp.Result r = RawHttp.getClip(server.port, STREAM, start, end);
      check(r);
      double f = ffmpeg("-ss", Long.toString(CLIP_START_S), "-i", cuesMkv.toString(), "-t",
          Integer.toString(clipSeconds), "-c", "copy", "-f", "mp4", "/dev/shm/fk-bench-clip.mp4");
      if (i >= 0) {
        ttfb[i] = r.ttfbMs();
        total[i] = r.totalMs();
        ffmpeg[i] = f;
        bytes = r.bodyBytes();
      }
    }
    System.out.printf(Locale.ROOT, "figure1: clip %d s, %.1f MB: GetClip median %s ms (TTFB %s ms, %.0f MB/s);"
        + " ffmpeg -ss/-t -c copy median %s ms; ratio %.1fx%n", clipSeconds, bytes / 1e6, Stats.fmt(Stats.median(total)),
        Stats.fmt(Stats.median(ttfb)), bytes / 1e6 / (Stats.median(total) / 1000), Stats.fmt(Stats.median(ffmpeg)),
        Stats.median(ffmpeg) / Stats.median(total));
  }

  private static void figure2(ServerProcess server, MkvClusters mkv, Path cuesMkv) throws Exception {
    long start = PRODUCER_START_MS - 1000;
    long end = PRODUCER_START_MS + mkv.count() * 1000L + 1000;
    double[] total = new double[RUNS];
    double[] ttfb = new double[RUNS];
    double[] ceiling = new double[RUNS];
    double[] cat = new double[RUNS];
    long bytes = 0;
    long fileBytes = Files.size(mkv.file());
    try (StaticFileServer files = new StaticFileServer(mkv.file())) {
      for (int i = -WARMUPS; i < RUNS; i++) {
        RawHttp.Result r = RawHttp.getClip(server.port, STREAM, start, end);
        check(r);
        RawHttp.Result c = RawHttp.post(files.port(), "/", "{}");
        double catMs = command("cat", mkv.file().toString());
        if (i >= 0) {
          total[i] = r.totalMs();
          ttfb[i] = r.ttfbMs();
          ceiling[i] = c.totalMs();
          cat[i] = catMs;
          bytes = r.bodyBytes();
        }
      }
    }
    double ffmpegFull = ffmpeg("-i", cuesMkv.toString(), "-c", "copy", "-f", "mp4", "/dev/shm/fk-bench-full.mp4");
    Files.deleteIfExists(Path.of("/dev/shm/fk-bench-full.mp4"));
    System.out.printf(Locale.ROOT, "figure2: 1 h clip %.0f MB: GetClip median %s ms = %.2f GB/s (TTFB %s ms);"
        + " static file %.0f MB via Netty sendfile median %s ms = %.2f GB/s; cat > /dev/null median %s ms;"
        + " ffmpeg full remux (1 run) %s ms%n", bytes / 1e6, Stats.fmt(Stats.median(total)),
        bytes / 1e9 / (Stats.median(total) / 1000), Stats.fmt(Stats.median(ttfb)), fileBytes / 1e6,
        Stats.fmt(Stats.median(ceiling)), fileBytes / 1e9 / (Stats.median(ceiling) / 1000),
        Stats.fmt(Stats.median(cat)), Stats.fmt(ffmpegFull));
  }

  private static void figure3(ServerProcess server) throws Exception {
    double[] wall = new double[3];
    double maxClipMs = 0;
    long bytes = 0;
    for (int round = 0; round < wall.length; round++) {
      ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_CLIPS);
      List<Future<RawHttp.Result>> results = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < CONCURRENT_CLIPS; i++) {
        long start = PRODUCER_START_MS + i * 150_000L;
        results.add(pool.submit(() -> RawHttp.getClip(server.port, STREAM, start, start + 199_999)));
      }
      bytes = 0;
      for (Future<RawHttp.Result> f : results) {
        RawHttp.Result r = f.get();
        check(r);
        bytes += r.bodyBytes();
        maxClipMs = Math.max(maxClipMs, r.totalMs());
      }
      wall[round] = (System.nanoTime() - t0) / 1e6;
      pool.shutdown();
    }
    System.out.printf(Locale.ROOT, "figure3: %d concurrent clips, %.0f MB total, server -Xmx256m: median wall %s ms"
        + " = %.2f GB/s aggregate; slowest clip %s ms; server peak RSS %.0f MiB; no errors%n", CONCURRENT_CLIPS,
        bytes / 1e6, Stats.fmt(Stats.median(wall)), bytes / 1e9 / (Stats.median(wall) / 1000), Stats.fmt(maxClipMs),
        server.peakRssMiB());
  }

  private static void check(RawHttp.Result r) throws IOException {
    if (r.status() != 200) {
      throw new IOException("GetClip failed: " + r.status() + " " + r.bodyPrefix());
    }
  }

  private static double ffmpeg(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y"));
    cmd.addAll(List.of(args));
    return command(cmd.toArray(String[]::new));
  }

  /** Runs a command to completion with its output discarded; returns its wall time in ms. */
  private static double command(String... cmd) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("command failed: " + String.join(" ", cmd));
    }
    return (System.nanoTime() - t0) / 1e6;
  }
}
