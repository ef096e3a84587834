package io.framekeep.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys and certificates in the forms the {@code openssl} command line writes: each key form is
 * made by openssl here, then read back and checked against its certificate.
 */
class PemCredentialsTest {
  @TempDir Path dir;

  /** Runs openssl in {@link #dir}; fails the test when it exits non-zero. */
  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
  }

  private void selfSign(String key, String cert) throws Exception {
    openssl("req", "-x509", "-new", "-key", key, "-days", "1", "-subj", "/CN=localhost",
        "-out", cert);
  }

  private PemCredentials read(String cert, String key) throws Exception {
    return new TlsFiles(dir.resolve(cert), dir.resolve(key)).read();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem",
      "genrsa -traditional -out key.pem 2048",
      "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem",
      "ecparam -name prime256v1 -genkey -out key.pem",
      "ecparam -name secp384r1 -genkey -noout -out key.pem",
      "genpkey -algorithm ED25519 -out key.pem"})
  void parse_keyFormOpensslWrites_readsKeyMatchingCertificate(String keyCommand) throws Exception {
    openssl(keyCommand.split(" "));
    selfSign("key.pem", "cert.pem");

    PemCredentials credentials = read("cert.pem", "key.pem");

    assertThat(credentials.chain()).hasSize(1);
    assertThat(credentials.chain().get(0).getSubjectX500Principal().getName())
        .isEqualTo("CN=localhost");
  }

  @Test
  void parse_pkcs1RsaKeyHeader_isTheTraditionalForm() throws Exception {
    openssl("genrsa", "-traditional", "-out", "key.pem", "2048");
    assertThat(Files.readString(dir.resolve("key.pem"))).startsWith(
        "-----BEGIN RSA PRIVATE KEY-----");
  }

  @Test
  void parse_chainFile_keepsEveryCertificateLeafFirst() throws Exception {
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
        "ca-key.pem");
    selfSign("ca-key.pem", "ca.pem");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
        "key.pem");
    openssl("req", "-new", "-key", "key.pem", "-subj", "/CN=leaf", "-out", "leaf.csr");
    openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
        "-CAcreateserial", "-days", "1", "-out", "leaf.pem");
    Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("leaf.pem"))
        + Files.readString(dir.resolve("ca.pem")));

    PemCredentials credentials = read("chain.pem", "key.pem");

    assertThat(credentials.chain()).extracting(c -> c.getSubjectX500Principal().getName())
        .containsExactly("CN=leaf", "CN=localhost");
  }

  @Test
  void parse_keyOfAnotherCertificate_refused() throws Exception {
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "a.pem");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "b.pem");
    selfSign("a.pem", "cert.pem");

    assertThatThrownBy(() -> read("cert.pem", "b.pem"))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void parse_ecKeyForRsaCertificate_refused() throws Exception {
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "a.pem");
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
        "b.pem");
    selfSign("a.pem", "cert.pem");

    assertThatThrownBy(() -> read("cert.pem", "b.pem"))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void parse_encryptedKey_refusedWithHowToDecrypt() throws Exception {
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
        "plain.pem");
    selfSign("plain.pem", "cert.pem");
    openssl("pkey", "-in", "plain.pem", "-aes256", "-passout", "pass:secret", "-out", "enc.pem");

    assertThatThrownBy(() -> read("cert.pem", "enc.pem"))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("encrypted");
  }

  @Test
  void parse_certificateFileWithoutCertificate_refused() throws Exception {
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
        "key.pem");

    assertThatThrownBy(() -> read("key.pem", "key.pem"))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("no CERTIFICATE");
  }

  @Test
  void parse_keyFileWithoutKey_refused() throws Exception {
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
        "key.pem");
    selfSign("key.pem", "cert.pem");

    assertThatThrownBy(() -> read("cert.pem", "cert.pem"))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("no PRIVATE KEY");
  }

  @Test
  void read_fileLargerThanLimit_refusedBeforeReading() throws Exception {
    Path big = dir.resolve("big.pem");
    Files.write(big, new byte[PemCredentials.MAX_PEM_BYTES + 1]);

    assertThatThrownBy(() -> new TlsFiles(big, big).read())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("at most " + PemCredentials.MAX_PEM_BYTES);
  }
}
