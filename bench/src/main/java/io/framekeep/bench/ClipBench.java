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
  /**
   * GetClips of figure 1's range sent before its timed runs, so that those time a compiled clip path (the
   * first few clips of a JVM run the layout code interpreted); the first one's TTFB is printed apart.
   */
  static final int CLIP_PATH_WARMUPS = 50;
  /** Producer start of the ingested hour: any fixed instant works; RELATIVE timecodes count from it. */
  static final long PRODUCER_START_MS = 1_700_000_000_000L;
  static final long CLIP_START_S = 600;
  static final String STREAM = "bench";
  /** The AWS GetClip size cap, as the server applies it. */
  static final long CAP_BYTES = 100L * 1024 * 1024;
  static final int CONCURRENT_CLIPS = 20;
  /** Rounds of the concurrent-clip figures; the median wall time is reported. */
  static final int CONCURRENT_ROUNDS = 3;
  /** Spacing of the concurrent clips' starts in the hour, so that they read different fragments. */
  static final long CONCURRENT_SPACING_MS = 150_000L;
  /** Length of each concurrent clip, which the 100 MiB cap then trims to about 100 MB. */
  static final long CONCURRENT_CLIP_MS = 199_999L;
  /** Unpaced uploads of the hour to one server: the first on a fresh JVM, then two more. */
  static final int UNPACED_RUNS = 3;

  private ClipBench() {}

  static void run(Path work, Path liveMkv, Path cuesMkv) throws Exception {
    run(work, liveMkv, cuesMkv, RUNS, true);
  }

  /**
   * Figure 1 alone with {@code runs} timed runs (bench/run.sh clip1): the hour ingested, then figure 1 on a
   * server of its own, so that a profiler attached to the servers ({@code -Dbench.serverJvmArgs}) records the
   * clip path and nothing else in its last recording.
   */
  static void figureOne(Path work, Path liveMkv, Path cuesMkv, int runs) throws Exception {
    run(work, liveMkv, cuesMkv, runs, false);
  }

  /** The hour ingested, figure 1 with {@code figure1Runs} timed runs, then figures 3 and 2 if asked for. */
  private static void run(Path work, Path liveMkv, Path cuesMkv, int figure1Runs, boolean figures2And3)
      throws Exception {
    MkvClusters mkv = MkvClusters.scan(liveMkv);
    Path dataDir = DataDirs.create(work, "clip-data-");
    try {
      ingest(work, dataDir, mkv);
      int clipSeconds = secondsUnderCap(mkv, (int) CLIP_START_S);
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
        figure1(server, cuesMkv, clipSeconds, figure1Runs);
      }
      if (!figures2And3) {
        return;
      }
      try (ServerProcess server = ServerProcess.start(dataDir, work, "256m", false)) {
        figure3(server, CONCURRENT_CLIPS, CONCURRENT_ROUNDS);
      }
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, true)) {
        figure2(server, mkv, cuesMkv);
      }
    } finally {
      DataDirs.delete(dataDir);
    }
  }

  /**
   * Figure 3 alone with {@code clips} concurrent clips (bench/run.sh clipmem): the hour ingested, then
   * a server with {@code -Xmx256m} answering that many 100 MB GetClips at once, each on its own connection.
   */
  static void memory(Path work, Path liveMkv, int clips, int rounds) throws Exception {
    MkvClusters mkv = MkvClusters.scan(liveMkv);
    Path dataDir = DataDirs.create(work, "clipmem-data-");
    try {
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
        RawHttp.createStream(server.port, STREAM);
        new Uploader(mkv, mkv.count()).run(server.port, STREAM, PRODUCER_START_MS, 0);
      }
      try (ServerProcess server = ServerProcess.start(dataDir, work, "256m", false)) {
        figure3(server, clips, rounds);
      }
    } finally {
      DataDirs.delete(dataDir);
    }
  }

  /**
   * The first unpaced upload on a just-started server, {@code servers} times, each on a fresh server and data
   * directory (bench/run.sh firstupload): what a user sees right after a start, before the JIT has compiled
   * the ingest path.
   */
  static void firstUpload(Path work, Path liveMkv, int servers) throws Exception {
    MkvClusters mkv = MkvClusters.scan(liveMkv);
    double[] mbps = new double[servers];
    for (int run = 0; run < servers; run++) {
      Path dataDir = DataDirs.create(work, "first-upload-");
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
        RawHttp.createStream(server.port, STREAM);
        Uploader u = new Uploader(mkv, mkv.count());
        double cpu0 = server.cpuSeconds();
        long t0 = System.nanoTime();
        u.run(server.port, STREAM, PRODUCER_START_MS, 0);
        double s = (u.persistedNs[mkv.count() - 1] - t0) / 1e9;
        mbps[run] = mkv.clusterBytes() / 1e6 / s;
        System.out.printf(Locale.ROOT, "first upload on fresh server %d of %d: server start %.0f ms; %.0f MB in %.2f s"
            + " = %.0f MB/s; server CPU %.2f cores%n", run + 1, servers, server.startMs, mkv.clusterBytes() / 1e6, s,
            mbps[run], (server.cpuSeconds() - cpu0) / s);
      } finally {
        DataDirs.delete(dataDir);
      }
    }
    System.out.printf(Locale.ROOT, "first upload: median %.0f MB/s over %d fresh servers%n", Stats.median(mbps), servers);
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
  static int secondsUnderCap(MkvClusters mkv, int from) {
    long bytes = 0;
    int n = 0;
    while (from + n < mkv.count() && bytes + mkv.lengths()[from + n] <= CAP_BYTES && n < 200) {
      bytes += mkv.lengths()[from + n];
      n++;
    }
    return n;
  }

  private static void figure1(ServerProcess server, Path cuesMkv, int clipSeconds, int runs) throws Exception {
    long start = PRODUCER_START_MS + CLIP_START_S * 1000;
    long end = start + clipSeconds * 1000L - 1;
    double[] ttfb = new double[runs];
    double[] total = new double[runs];
    double[] ffmpeg = new double[runs];
    double[] curlTtfb = new double[runs];
    double[] curlTotal = new double[runs];
    long bytes = 0;
    double firstTtfbMs = 0;
    for (int i = 0; i < CLIP_PATH_WARMUPS; i++) {
      RawHttp.Result r = RawHttp.getClip(server.port, STREAM, start, end);
      check(r);
      if (i == 0) {
        firstTtfbMs = r.ttfbMs();
      }
    }
    System.out.printf(Locale.ROOT, "figure1: first GetClip of the range TTFB %s ms, then %d more before timing%n",
        Stats.fmt(firstTtfbMs), CLIP_PATH_WARMUPS - 1);
    for (int i = -WARMUPS; i < runs; i++) {
      RawHttp.Result r = RawHttp.getClip(server.port, STREAM, start, end);
      check(r);
      double[] curl = curl(server.port, RawHttp.clipBody(STREAM, start, end));
      double f = ffmpeg("-ss", Long.toString(CLIP_START_S), "-i", cuesMkv.toString(), "-t",
          Integer.toString(clipSeconds), "-c", "copy", "-f", "mp4", "/dev/shm/fk-bench-clip.mp4");
      if (i >= 0) {
        ttfb[i] = r.ttfbMs();
        total[i] = r.totalMs();
        ffmpeg[i] = f;
        curlTtfb[i] = curl[0];
        curlTotal[i] = curl[1];
        bytes = r.bodyBytes();
      }
    }
    System.out.printf(Locale.ROOT, "figure1: clip %d s, %.1f MB: GetClip median %s ms (TTFB %s ms, %.0f MB/s);"
        + " ffmpeg -ss/-t -c copy median %s ms; ratio %.1fx%n", clipSeconds, bytes / 1e6, Stats.fmt(Stats.median(total)),
        Stats.fmt(Stats.median(ttfb)), bytes / 1e6 / (Stats.median(total) / 1000), Stats.fmt(Stats.median(ffmpeg)),
        Stats.median(ffmpeg) / Stats.median(total));
    System.out.printf(Locale.ROOT, "figure1 curl --aws-sigv4 (fresh connection, body to /dev/null): median %s ms"
        + " (TTFB %s ms); ratio to ffmpeg %.1fx%n", Stats.fmt(Stats.median(curlTotal)),
        Stats.fmt(Stats.median(curlTtfb)), Stats.median(ffmpeg) / Stats.median(curlTotal));
  }

  /**
   * One GetClip by curl, signed with {@code --aws-sigv4} as a user would (the bench server does not check
   * signatures, so the server's verification, a few microseconds, is the only part not measured); returns
   * curl's own time to first byte and total time in ms.
   */
  private static double[] curl(int port, String body) throws Exception {
    Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{time_starttransfer} %{time_total}",
        "--aws-sigv4", "aws:amz:us-east-1:kinesisvideo", "--user", "AKIDBENCH:benchsecret",
        "-H", "Content-Type: application/json", "--data-binary", body, "http://127.0.0.1:" + port + "/getClip")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("curl failed: " + out);
    }
    String[] t = out.split(" ");
    return new double[] {Double.parseDouble(t[0]) * 1000, Double.parseDouble(t[1]) * 1000};
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

  private static void figure3(ServerProcess server, int clips, int rounds) throws Exception {
    double[] wall = new double[rounds];
    double maxClipMs = 0;
    long bytes = 0;
    for (int round = 0; round < wall.length; round++) {
      ExecutorService pool = Executors.newFixedThreadPool(clips);
      List<Future<RawHttp.Result>> results = new ArrayList<>();
      long t0 = System.nanoTime();
      // Starts cycle through the hour (less the last clip's length) so any number of clips fits.
      long starts = (3_600_000L - CONCURRENT_CLIP_MS) / CONCURRENT_SPACING_MS;
      for (int i = 0; i < clips; i++) {
        long start = PRODUCER_START_MS + (i % starts) * CONCURRENT_SPACING_MS;
        results.add(pool.submit(() -> RawHttp.getClip(server.port, STREAM, start, start + CONCURRENT_CLIP_MS)));
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
        + " = %.2f GB/s aggregate; slowest clip %s ms; server peak RSS %.0f MiB; no errors%n", clips,
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
