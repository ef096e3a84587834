package io.framekeep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --storage}: the backend is chosen on the command line; a backend that cannot run is
 * a usage error that says what is missing, before anything touches the data directory.
 */
class ServeCommandTest {
  @TempDir Path dir;

  record Run(int exit, String err) {}

  private static Run serve(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new FramekeepCommand());
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Run(cl.execute(all), err.toString());
  }

  @Test
  void serve_storageClusterWithoutDatabase_usageErrorNamingIt() {
    Path data = dir.resolve("data");
    Run r = serve("--storage", "cluster", "--port", "0", "--data-dir", data.toString(),
        "--s3-bucket", "media");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--database-url");
    assertThat(Files.exists(data)).as("nothing created for a backend that cannot run").isFalse();
  }

  @Test
  void serve_storageClusterWithoutBucket_usageErrorNamingIt() {
    Run r = serve("--storage", "cluster", "--port", "0", "--data-dir", dir.toString(),
        "--database-url", "jdbc:postgresql://127.0.0.1:1/framekeep");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--s3-bucket is required");
  }

  @Test
  void serve_clusterSettingWithEmbeddedStorage_usageError() {
    Run r = serve("--port", "0", "--data-dir", dir.toString(), "--s3-bucket", "media");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--s3-bucket is a setting of --storage cluster");
  }

  @Test
  void serve_unknownStorage_usageErrorListingTheChoices() {
    Run r = serve("--storage", "tape", "--port", "0", "--data-dir", dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--storage must be embedded or cluster, not tape");
  }

  @Test
  void serve_help_documentsStorageAndItsEnvironmentVariable() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new FramekeepCommand());
    cl.setOut(new PrintWriter(out, true));

    assertThat(cl.execute("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--storage").contains("FRAMEKEEP_STORAGE")
        .contains("default embedded");
  }
}
