package io.framekeep.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** A {@link BenchServer} child JVM, with its CPU time and peak RSS read from /proc. */
final class ServerProcess implements AutoCloseable {
  /** Clock ticks per second of /proc/&lt;pid&gt;/stat times (USER_HZ, 100 on every Linux we run on). */
  private static final double USER_HZ = 100.0;

  final Process process;
  final int port;
  /** Milliseconds from process start until the port file appeared (cold start). */
  final double startMs;
  /**
   * Milliseconds from process start until the server's warm-up ended (its {@code port.warm} file), when
   * {@link #AWAIT_WARM_UP}; else {@link #startMs}.
   */
  final double readyMs;
  /** What the warm-up did (BenchServer's account), or "not awaited". */
  final String warmUp;

  /**
   * Whether {@link #start} returns only once the server's start-up warm-up has ended ({@code BENCH_AWAIT_WARM_UP},
   * default true): clients then meet a warm server. With false they start at listening, when the warm-up gives
   * way to them.
   */
  static final boolean AWAIT_WARM_UP =
      !"false".equalsIgnoreCase(System.getenv().getOrDefault("BENCH_AWAIT_WARM_UP", "true"));
  /** A warm-up that has not ended after this long is broken: the bench stops rather than hangs. */
  private static final long WARM_UP_WAIT_MS = 300_000;

  private ServerProcess(Process process, int port, double startMs, double readyMs, String warmUp) {
    this.process = process;
    this.port = port;
    this.startMs = startMs;
    this.readyMs = readyMs;
    this.warmUp = warmUp;
  }

  static ServerProcess start(Path dataDir, Path workDir, String heap, boolean uncapped)
      throws IOException, InterruptedException {
    return start(dataDir, workDir, heap, uncapped ? List.of("uncapped") : List.of());
  }

  /** A server with {@link BenchServer}'s options ({@code uncapped}, {@code tls-openssl}, {@code tls-jdk}). */
  static ServerProcess start(Path dataDir, Path workDir, String heap, List<String> options)
      throws IOException, InterruptedException {
    Path portFile = workDir.resolve("port");
    Files.deleteIfExists(portFile);
    Files.deleteIfExists(workDir.resolve("port.tls"));
    Path warmFile = workDir.resolve("port.warm");
    Files.deleteIfExists(warmFile);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    if (heap != null) {
      cmd.add("-Xmx" + heap);
    }
    // The server log (server.log in the work directory) keeps WARN and above unless -Dbench.serverLogLevel=INFO
    // (or DEBUG) is given to the bench JVM, e.g. BENCH_JAVA_OPTS="-Xmx2g -Dbench.serverLogLevel=INFO".
    // Extra server JVM options: -Dbench.serverJvmArgs=... (e.g. -XX:StartFlightRecording=filename=x.jfr
    // to profile) and BENCH_SERVER_OPTS (flags to compare: class-data archive, JIT settings).
    String extra = (System.getProperty("bench.serverJvmArgs", "") + " "
        + System.getenv().getOrDefault("BENCH_SERVER_OPTS", "")).trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(List.of("-Dlogback.configurationFile=" + workDir.resolve("logback.xml"),
        "-cp", System.getProperty("java.class.path"), BenchServer.class.getName(), dataDir.toString(),
        portFile.toString()));
    cmd.addAll(options);
    Files.writeString(workDir.resolve("logback.xml"),
        "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>"
            + workDir.resolve("server.log") + "</file><encoder><pattern>%d %-5level %logger{20} %msg%n"
            + "</pattern></encoder></appender><root level=\"" + System.getProperty("bench.serverLogLevel", "WARN")
            + "\"><appender-ref ref=\"F\"/></root>"
            + "</configuration>");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("server.out").toFile())).start();
    while (!Files.exists(portFile)) {
      if (!p.isAlive()) {
        throw new IOException("server exited; see " + workDir.resolve("server.out"));
      }
      Thread.sleep(2);
    }
    double startMs = (System.nanoTime() - t0) / 1e6;
    int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
    if (!AWAIT_WARM_UP) {
      System.out.printf(Locale.ROOT, "server: listening after %.0f ms; warm-up not awaited%n", startMs);
      return new ServerProcess(p, port, startMs, startMs, "not awaited");
    }
    while (!Files.exists(warmFile)) {
      if (!p.isAlive() || (System.nanoTime() - t0) / 1_000_000 > WARM_UP_WAIT_MS) {
        p.destroyForcibly();
        throw new IOException("server warm-up did not end; see " + workDir.resolve("server.out"));
      }
      Thread.sleep(2);
    }
    double readyMs = (System.nanoTime() - t0) / 1e6;
    String warmUp = Files.readString(warmFile, StandardCharsets.US_ASCII).trim();
    System.out.printf(Locale.ROOT, "server: listening after %.0f ms; warm-up: %s; ready after %.0f ms%n",
        startMs, warmUp, readyMs);
    return new ServerProcess(p, port, startMs, readyMs, warmUp);
  }

  /** The HTTPS port of a server started with a TLS option. */
  int tlsPort(Path workDir) throws IOException {
    return Integer.parseInt(Files.readString(workDir.resolve("port.tls"), StandardCharsets.US_ASCII).trim());
  }

  /** User + system CPU seconds the server has used so far. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / USER_HZ;
  }

  /** Peak resident set size in MiB (VmHWM). */
  double peakRssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
