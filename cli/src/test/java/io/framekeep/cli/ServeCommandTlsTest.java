package io.framekeep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The TLS flags of {@code framekeep serve} that are refused before anything starts. */
class ServeCommandTlsTest {
  @TempDir Path dataDir;

  private record Run(int exit, String err) {}

  private Run serve(String... flags) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServeCommand()).setErr(new PrintWriter(err));
    String[] args = new String[flags.length + 4];
    args[0] = "--data-dir";
    args[1] = dataDir.toString();
    args[2] = "--port";
    args[3] = "0";
    System.arraycopy(flags, 0, args, 4, flags.length);
    return new Run(cli.execute(args), err.toString());
  }

  @Test
  void serve_tlsPortWithoutCertificate_refused() {
    Run run = serve("--tls-port", "0");
    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--tls-port needs a certificate");
  }

  @Test
  void serve_certWithoutKey_refused() {
    Run run = serve("--tls-cert", "cert.pem");
    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--tls-cert and --tls-key go together");
  }

  @Test
  void serve_selfSignedAndCert_refused() {
    Run run = serve("--tls-self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem");
    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("cannot be combined");
  }

  @Test
  void serve_unknownProvider_refused() {
    Run run = serve("--tls-self-signed", "--tls-provider", "GNUTLS");
    assertThat(run.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--tls-provider");
  }
}
