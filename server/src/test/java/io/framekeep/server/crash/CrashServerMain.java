package io.framekeep.server.crash;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The server process {@link CrashTest} kills: serves {@code args[0]} without auth and without
 * quotas on a free port
 * and, once listening, writes the port to {@code args[1]} (atomically, by rename). Runs until it
 * is killed.
 */
public final class CrashServerMain {
  private CrashServerMain() {}

  public static void main(String[] args) throws Exception {
    // AWS's per-stream rates off: the test wants as many fragments in flight at a kill as the
    // uploads can make, not 5 per second per stream.
    FramekeepServer server = FramekeepServer.start(
        ServerConfig.defaults(Path.of(args[0])).withNoAuth().withPort(0).withLimits(
            ServiceLimits.awsDefaults().withFragmentQuotas(false, Integer.MAX_VALUE,
                Integer.MAX_VALUE)));
    Path portFile = Path.of(args[1]);
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.US_ASCII);
    Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
    Thread.currentThread().join();
  }
}
