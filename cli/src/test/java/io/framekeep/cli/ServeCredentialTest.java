package io.framekeep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.auth.Credential;
import io.framekeep.server.auth.CredentialsFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code framekeep serve} prints about the generated credential, first and later starts. */
class ServeCredentialTest {
  @TempDir Path dir;

  private static String printed(Credential c, boolean generated, Path dataDir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ServeCommand.printCredential(new PrintStream(bytes, true, StandardCharsets.UTF_8), c, false,
        generated, dataDir, "us-east-1");
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void generatedCredential_firstStart_secretPrintedAsExports() throws Exception {
    Credential c = CredentialsFile.loadOrCreate(dir);

    String out = printed(c, true, dir);

    assertThat(out).contains("export AWS_ACCESS_KEY_ID=" + c.accessKeyId())
        .contains("export AWS_SECRET_ACCESS_KEY=" + c.secretAccessKey());
  }

  @Test
  void generatedCredential_laterStart_keyAndFileButNoSecret() throws Exception {
    Credential c = CredentialsFile.loadOrCreate(dir);

    String out = printed(CredentialsFile.loadOrCreate(dir), false, dir);

    assertThat(out).doesNotContain(c.secretAccessKey())
        .contains("export AWS_ACCESS_KEY_ID=" + c.accessKeyId())
        .contains(dir.resolve(CredentialsFile.FILE_NAME).toString());
  }

  @Test
  void generatedCredential_laterStart_printedSecretCommandReadsTheSecret() throws Exception {
    Credential c = CredentialsFile.loadOrCreate(dir);
    String exportLine = printed(c, false, dir).lines()
        .filter(l -> l.contains("AWS_SECRET_ACCESS_KEY")).findFirst().orElseThrow();

    Process p = new ProcessBuilder("bash", "-c", exportLine.trim()
        + " && printf %s \"$AWS_SECRET_ACCESS_KEY\"").redirectErrorStream(true).start();

    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(c.secretAccessKey());
    assertThat(Files.getPosixFilePermissions(dir.resolve(CredentialsFile.FILE_NAME)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }
}
