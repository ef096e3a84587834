package io.framekeep.bench;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The server process the benchmarks measure: {@code BenchServer <dataDir> <portFile> [uncapped]} serves
 * without auth and without fragment quotas on a free port, writes the port to portFile once listening, and runs until killed. With
 * {@code uncapped} the GetClip caps (200 fragments, 100 MiB) are lifted.
 */
public final class BenchServer {
  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    // Fragment quotas (per-stream request throttling) are off: the benchmarks measure the data path.
    ServiceLimits limits = ServiceLimits.awsDefaults().withFragmentQuotas(false, Integer.MAX_VALUE, Integer.MAX_VALUE);
    if (args.length > 2 && args[2].equals("uncapped")) {
      limits = limits.withClipCaps(Integer.MAX_VALUE, Long.MAX_VALUE);
    }
    ServerConfig config = ServerConfig.defaults(Path.of(args[0])).withNoAuth().withPort(0).withLimits(limits);
    FramekeepServer server = FramekeepServer.start(config);
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
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
