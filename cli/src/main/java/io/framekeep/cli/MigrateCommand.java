package io.framekeep.cli;

import io.framekeep.server.StorageBackend;
import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.cluster.ClusterConfig;
import io.framekeep.storage.cluster.ClusterImporter;
import io.framekeep.storage.cluster.ClusterStorage;
import io.framekeep.storage.cluster.StreamConflictException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code framekeep migrate}: copies an embedded archive into a cluster ({@link ArchiveMigration}). The
 * composition root of the migration: the one place that opens both backends.
 *
 * <p>Exit codes: 0 copied (or nothing left to copy), 1 failed (the message says why: rerun to continue) or
 * refused (a different cluster stream of the same name), 2 usage error.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {"Copy an embedded archive (streams, tags, headers, fragments with their numbers) into a"
        + " cluster. Stop the embedded server first. Restartable: a rerun continues where an interrupted"
        + " one stopped and copies nothing twice; a different cluster stream of the same name is never"
        + " overwritten. Progress on stderr."})
public final class MigrateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", required = true, description = "The embedded archive to copy (only read).")
  Path dataDir;

  @ArgGroup(exclusive = false, heading = "%nThe cluster to copy into (each also from FRAMEKEEP_<NAME>,"
      + " e.g. FRAMEKEEP_S3_BUCKET):%n")
  ServeCommand.ClusterOptions cluster = new ServeCommand.ClusterOptions();

  /** Where progress goes; stderr unless a test replaces it. */
  PrintStream progress = System.err;

  /** Where the cluster settings absent from the flags come from. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() {
    ClusterConfig config;
    try {
      config = StorageBackend.checkClusterSettings(cluster == null ? Map.of() : cluster.given(), env);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    // EmbeddedStorage.open would create an empty archive in a mistyped directory.
    if (!Files.isRegularFile(dataDir.resolve("framekeep.db"))) {
      throw new ParameterException(spec.commandLine(), "--data-dir " + dataDir
          + " holds no embedded archive (no framekeep.db)");
    }
    Clock clock = Clock.systemUTC();
    try (EmbeddedStorage source = EmbeddedStorage.open(dataDir, clock);
        ClusterStorage target = ClusterStorage.open(config, clock)) {
      new ArchiveMigration(source, new ClusterImporter(target, clock), progress).run();
      return CliSupport.EXIT_OK;
    } catch (StreamConflictException e) {
      progress.println("migrate: refused: " + e.getMessage() + " (that stream was left as it is)");
      return CliSupport.EXIT_FAILURE;
    } catch (IOException | RuntimeException e) {
      progress.println("migrate: failed: " + e.getMessage() + " (run again to continue)");
      return CliSupport.EXIT_FAILURE;
    }
  }
}
