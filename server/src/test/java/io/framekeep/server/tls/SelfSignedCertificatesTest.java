package io.framekeep.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificatesTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  @TempDir Path dataDir;

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void ensure_emptyDataDir_writesCertificateForLocalhostAndLoopbackAddresses() throws Exception {
    TlsFiles files = SelfSignedCertificates.ensure(dataDir, at(NOW));

    assertThat(files.certFile()).isEqualTo(dataDir.resolve("tls/self-signed-cert.pem"));
    X509Certificate cert = files.read().chain().get(0);
    assertThat(cert.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
        .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(cert.getNotBefore().toInstant()).isBefore(NOW);
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(SelfSignedCertificates.VALIDITY));
    assertThat(cert.getBasicConstraints()).as("usable as its own CA bundle").isNotNegative();
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.keyFile())))
        .isEqualTo("rw-------");
  }

  @Test
  void ensure_secondStart_reusesTheSameCertificate() throws Exception {
    TlsFiles first = SelfSignedCertificates.ensure(dataDir, at(NOW));
    byte[] cert = Files.readAllBytes(first.certFile());

    TlsFiles second = SelfSignedCertificates.ensure(dataDir, at(NOW.plusSeconds(86_400)));

    assertThat(Files.readAllBytes(second.certFile())).isEqualTo(cert);
  }

  @Test
  void ensure_certificateAboutToExpire_replacedWithNewSerial() throws Exception {
    TlsFiles first = SelfSignedCertificates.ensure(dataDir, at(NOW));
    var serial = first.read().chain().get(0).getSerialNumber();
    Instant nearExpiry = NOW.plus(SelfSignedCertificates.VALIDITY)
        .minus(SelfSignedCertificates.RENEW_BEFORE).plusSeconds(1);

    TlsFiles renewed = SelfSignedCertificates.ensure(dataDir, at(nearExpiry));

    X509Certificate cert = renewed.read().chain().get(0);
    assertThat(cert.getSerialNumber()).isNotEqualTo(serial);
    assertThat(cert.getNotAfter().toInstant()).isAfter(nearExpiry.plus(
        SelfSignedCertificates.RENEW_BEFORE));
  }

  @Test
  void ensure_corruptKeyFile_regenerated() throws Exception {
    TlsFiles first = SelfSignedCertificates.ensure(dataDir, at(NOW));
    Files.writeString(first.keyFile(), "garbage");

    TlsFiles again = SelfSignedCertificates.ensure(dataDir, at(NOW));

    assertThat(again.read().chain()).hasSize(1);
    assertThat(Files.readString(again.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
  }
}
