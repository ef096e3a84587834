package io.framekeep.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material for tests: certificates made by the {@code openssl} command line (as an operator
 * would make them, not by the server's own code) for {@code localhost} and {@code 127.0.0.1}, and
 * trust managers / SSL contexts that trust exactly one such certificate. The shared pair
 * ({@link #shared()}) is made once per test JVM.
 */
final class TestTls {
  /** A certificate file and its key file, both PEM. */
  record Pair(Path cert, Path key) {
    X509Certificate certificate() {
      try (InputStream in = Files.newInputStream(cert)) {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Trust managers that trust this certificate only. */
    TrustManager[] trustManagers() {
      try {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("framekeep-test", certificate());
        TrustManagerFactory factory =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    SSLContext sslContext() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(), null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Pair shared;

  private TestTls() {}

  /** The pair in-process HTTPS servers use by default (RSA 2048, PKCS#8 key). */
  static synchronized Pair shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("framekeep-it-tls-");
        dir.toFile().deleteOnExit();
        shared = rsa(dir, "shared");
        shared.cert().toFile().deleteOnExit();
        shared.key().toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** A new self-signed RSA certificate (random serial) for localhost and 127.0.0.1 in {@code dir}. */
  static Pair rsa(Path dir, String name) {
    Path cert = dir.resolve(name + "-cert.pem");
    Path key = dir.resolve(name + "-key.pem");
    Ffmpeg.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", key.toString(), "-out", cert.toString());
    return new Pair(cert, key);
  }
}
