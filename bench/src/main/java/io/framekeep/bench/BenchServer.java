package io.framekeep.bench;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import io.framekeep.server.StorageBackend;
import io.framekeep.server.tls.TlsOptions;
import io.framekeep.server.warmup.ServerWarmUp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The server process the benchmarks measure: {@code BenchServer <dataDir> <portFile> [uncapped]
 * [tls-openssl|tls-jdk]} serves without auth and without fragment quotas on a free port, writes the port to
 * portFile once listening, and runs until killed. With {@code uncapped} the GetClip caps (200 fragments,
 * 100 MiB) are lifted. With {@code tls-openssl} or {@code tls-jdk} it also serves HTTPS with the self-signed
 * certificate (DATA_DIR/tls/self-signed-cert.pem) on a second free port, written to {@code portFile.tls},
 * through BoringSSL or the JDK's TLS. With {@code cluster} it serves on the cluster backend, configured by the
 * {@code key=value} options (the {@code serve} cluster flags without dashes, e.g.
 * {@code database-url=jdbc:postgresql://...}).
 *
 * <p>Like {@code framekeep serve}, it runs the start-up warm-up ({@link ServerWarmUp}) once listening,
 * unless {@code -Dframekeep.warmUp=false}; when the warm-up has ended (or at once when it does not run) it
 * writes {@code portFile.warm} holding what the warm-up did, so that a benchmark can start its clients either
 * at listening or once the server is warm ({@link ServerProcess}).
 */
public final class BenchServer {
  private BenchServer() {}

  /** Waits for the warm-up; returns a one-line account of it. */
  private static String await(CompletableFuture<ServerWarmUp.Report> warmUp) {
    try {
      ServerWarmUp.Report r = warmUp.get();
      return String.format(Locale.ROOT, "%d uploads, %d read rounds in %d ms%s", r.uploads(), r.readRounds(),
          r.elapsedMs(), r.stoppedEarly() ? ", stopped early by clients" : "");
    } catch (ExecutionException e) {
      return "failed: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  public static void main(String[] args) throws Exception {
    // Fragment quotas (per-stream request throttling) are off: the benchmarks measure the data path.
    ServiceLimits limits = ServiceLimits.awsDefaults().withFragmentQuotas(false, Integer.MAX_VALUE, Integer.MAX_VALUE);
    java.util.List<String> options = java.util.Arrays.asList(args).subList(2, args.length);
    if (options.contains("uncapped")) {
      limits = limits.withClipCaps(Integer.MAX_VALUE, Long.MAX_VALUE);
    }
    ServerConfig config = ServerConfig.defaults(Path.of(args[0])).withNoAuth().withPort(0).withLimits(limits);
    if (options.contains("tls-openssl") || options.contains("tls-jdk")) {
      config = config.withTls(TlsOptions.generatedSelfSigned().onPort(0).withProvider(
          options.contains("tls-jdk") ? TlsOptions.Provider.JDK : TlsOptions.Provider.OPENSSL));
    }
    java.util.Map<String, String> storageSettings = new java.util.HashMap<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      if (eq > 0) {
        storageSettings.put(option.substring(0, eq), option.substring(eq + 1));
      }
    }
    FramekeepServer server = options.contains("cluster")
        ? FramekeepServer.start(config.withStorageSettings(storageSettings), StorageBackend.CLUSTER)
        : FramekeepServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    Path portFile = Path.of(args[1]);
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.US_ASCII);
    if (server.tlsPort() > 0) {
      Path tlsPortFile = portFile.resolveSibling(portFile.getFileName() + ".tls");
      Files.writeString(tlsPortFile, Integer.toString(server.tlsPort()), StandardCharsets.US_ASCII);
    }
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    String warmUp = ServerWarmUp.startInBackground(server).map(BenchServer::await).orElse("off");
    Path warmFile = portFile.resolveSibling(portFile.getFileName() + ".warm");
    Path warmTmp = portFile.resolveSibling(portFile.getFileName() + ".warm.tmp");
    Files.writeString(warmTmp, warmUp, StandardCharsets.US_ASCII);
    Files.move(warmTmp, warmFile, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
