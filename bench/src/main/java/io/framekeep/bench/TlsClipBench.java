package io.framekeep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Figure 7: GetClip of the same ~100 MB clip (the AWS cap) over HTTPS and over plain HTTP from one server
 * serving both ports, alternating within each run, with curl (OpenSSL) as the client of both so that only the
 * server's transport differs. Plain HTTP is sent with sendfile; HTTPS is read into buffers and encrypted. Run
 * once with BoringSSL (netty-tcnative) and once with the JDK's TLS. Only the first minutes of the live MKV
 * are ingested (enough fragments for the clip), so this figure does not need the hour-long ingest of figure 1.
 * Timings are medians of {@link ClipBench#RUNS} runs after {@link ClipBench#WARMUPS} warm-ups.
 */
final class TlsClipBench {
  /** Clusters ingested: more than the 200-fragment cap needs, so the clip is cut by the byte cap as in figure 1. */
  static final int CLUSTERS = 230;

  private TlsClipBench() {}

  static void run(Path work, Path liveMkv) throws Exception {
    MkvClusters mkv = MkvClusters.scan(liveMkv);
    int clusters = Math.min(CLUSTERS, mkv.count());
    Path dataDir = DataDirs.create(work, "tls-data-");
    try {
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
        RawHttp.createStream(server.port, ClipBench.STREAM);
        new Uploader(mkv, clusters).run(server.port, ClipBench.STREAM, ClipBench.PRODUCER_START_MS, 0);
      }
      for (String provider : List.of("tls-openssl", "tls-jdk")) {
        try (ServerProcess server = ServerProcess.start(dataDir, work, null, List.of(provider))) {
          figure7(server, server.tlsPort(work), dataDir.resolve("tls/self-signed-cert.pem"), provider,
              clusters);
        }
      }
    } finally {
      DataDirs.delete(dataDir);
    }
  }

  private static void figure7(ServerProcess server, int tlsPort, Path caBundle, String provider, int clusters)
      throws Exception {
    long start = ClipBench.PRODUCER_START_MS;
    long end = start + clusters * 1000L;
    String body = "{\"StreamName\":\"" + ClipBench.STREAM + "\",\"ClipFragmentSelector\":"
        + RawHttp.range("PRODUCER_TIMESTAMP", start, end) + "}";
    double[] plain = new double[ClipBench.RUNS];
    double[] tls = new double[ClipBench.RUNS];
    double[] tlsTtfb = new double[ClipBench.RUNS];
    // Server CPU seconds spent on the measured clips, summed over the runs: on a machine shared with other
    // work, bytes per server CPU-second says what one dedicated core would serve, which wall time cannot.
    double tlsCpu = 0;
    double plainCpu = 0;
    long bytes = 0;
    for (int i = -ClipBench.WARMUPS; i < ClipBench.RUNS; i++) {
      double cpu0 = server.cpuSeconds();
      Curl p = Curl.post("http://127.0.0.1:" + server.port + "/getClip", body, null);
      double cpu1 = server.cpuSeconds();
      Curl t = Curl.post("https://127.0.0.1:" + tlsPort + "/getClip", body, caBundle);
      double cpu2 = server.cpuSeconds();
      if (p.bytes() != t.bytes() || p.bytes() < 1_000_000) {
        throw new IOException("clips differ or are empty: " + p + " / " + t);
      }
      if (i >= 0) {
        plain[i] = p.totalMs();
        tls[i] = t.totalMs();
        tlsTtfb[i] = t.ttfbMs();
        plainCpu += cpu1 - cpu0;
        tlsCpu += cpu2 - cpu1;
        bytes = t.bytes();
      }
    }
    double gb = bytes / 1e9 * ClipBench.RUNS;
    System.out.printf(Locale.ROOT, "figure7 (%s): clip %.1f MB: HTTPS median %s ms = %.2f GB/s (TTFB %s ms);"
        + " plain HTTP (sendfile) median %s ms = %.2f GB/s; HTTPS/HTTP time %.1fx; server CPU per clip HTTPS"
        + " %.0f ms = %.2f GB per CPU-second, plain %.0f ms = %.2f GB per CPU-second%n",
        provider, bytes / 1e6, Stats.fmt(Stats.median(tls)), bytes / 1e9 / (Stats.median(tls) / 1000),
        Stats.fmt(Stats.median(tlsTtfb)), Stats.fmt(Stats.median(plain)),
        bytes / 1e9 / (Stats.median(plain) / 1000), Stats.median(tls) / Stats.median(plain),
        tlsCpu * 1000 / ClipBench.RUNS, gb / tlsCpu, plainCpu * 1000 / ClipBench.RUNS, gb / plainCpu);
  }

  /** One curl exchange: status, body bytes, time to first byte and total time as curl measured them. */
  private record Curl(int status, long bytes, double ttfbMs, double totalMs) {
    static Curl post(String url, String json, Path caBundle) throws Exception {
      List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-X", "POST",
          "-H", "Content-Type: application/json", "--data-binary", json,
          "-w", "%{http_code} %{size_download} %{time_starttransfer} %{time_total}"));
      if (caBundle != null) {
        cmd.addAll(List.of("--cacert", caBundle.toString()));
      }
      cmd.add(url);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("curl failed: " + out);
      }
      String[] f = out.split(" ");
      Curl c = new Curl(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]) * 1000,
          Double.parseDouble(f[3]) * 1000);
      if (c.status() != 200) {
        throw new IOException("GetClip answered " + c.status() + " at " + url);
      }
      return c;
    }
  }
}
