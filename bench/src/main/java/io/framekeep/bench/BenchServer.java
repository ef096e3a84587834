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
 * without auth on a free port, writes the port to portFile once listening, and runs until killed. With
 * {@code uncapped} the GetClip caps (200 fragments, 100 MiB) are lifted.
 */
public final class BenchServer {
  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    ServerConfig config = ServerConfig.defaults(Path.of(args[0])).withNoAuth().withPort(0);
    if (args.length > 2 && args[2].equals("uncapped")) {
      config = config.withLimits(ServiceLimits.awsDefaults().withClipCaps(Integer.MAX_VALUE, Long.MAX_VALUE));
    }
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
