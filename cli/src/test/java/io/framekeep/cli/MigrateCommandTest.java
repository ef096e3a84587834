package io.framekeep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code migrate}'s usage errors: reported before either backend is opened, so a mistyped directory is never
 * turned into an empty archive. (The copy itself: MigrateTest in the it module, on PostgreSQL and S3Proxy.)
 */
class MigrateCommandTest {
  @TempDir Path dir;

  record Run(int exit, String err) {}

  private static Run migrate(String... args) {
    StringWriter err = new StringWriter();
    MigrateCommand command = new MigrateCommand();
    command.env = Map.of();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    command.progress = new PrintStream(progress, true, StandardCharsets.UTF_8);
    CommandLine cl = new CommandLine(command);
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, err + progress.toString(StandardCharsets.UTF_8));
  }

  @Test
  void migrate_withoutDatabaseUrl_usageErrorNamingIt() {
    Run run = migrate("--data-dir", dir.toString(), "--s3-bucket", "media");

    assertThat(run.exit()).isEqualTo(CliSupport.EXIT_USAGE);
    assertThat(run.err()).contains("--database-url");
  }

  @Test
  void migrate_dataDirWithoutArchive_usageErrorAndDirectoryLeftEmpty() throws Exception {
    Path missing = dir.resolve("no-archive");
    Files.createDirectories(missing);

    Run run = migrate("--data-dir", missing.toString(), "--database-url",
        "jdbc:postgresql://127.0.0.1:1/none", "--s3-bucket", "media");

    assertThat(run.exit()).isEqualTo(CliSupport.EXIT_USAGE);
    assertThat(run.err()).contains("holds no embedded archive");
    try (var entries = Files.list(missing)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void framekeep_help_listsMigrate() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new FramekeepCommand());
    cl.setOut(new PrintWriter(out, true));

    cl.execute("--help");

    assertThat(out.toString()).contains("migrate");
  }
}
