package io.framekeep.server.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server speaks HTTPS: from a PEM certificate chain and private key chosen by the
 * operator ({@code certFile} + {@code keyFile}), or from a self-signed certificate the server
 * generates in its data directory ({@code selfSigned}).
 *
 * @param certFile PEM certificate chain, leaf first; null with {@code selfSigned}
 * @param keyFile PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted); null with
 *     {@code selfSigned}
 * @param selfSigned generate (or reuse) {@link SelfSignedCertificates#CERT_FILE} and
 *     {@link SelfSignedCertificates#KEY_FILE} under {@code DATA_DIR/tls}
 * @param port the HTTPS port, served beside plain HTTP on the main port; {@link #MAIN_PORT}
 *     makes the main port itself HTTPS (and there is no plain HTTP); 0 picks a free port
 * @param reloadInterval how often the certificate and key files are checked for changes
 * @param provider which TLS implementation to use
 */
public record TlsOptions(Path certFile, Path keyFile, boolean selfSigned, int port,
    Duration reloadInterval, Provider provider) {
  /** The TLS implementation. */
  public enum Provider {
    /** BoringSSL through Netty's native library when it loads on this machine, else JDK. */
    AUTO,
    /** BoringSSL through Netty's native library; starting fails when it cannot load. */
    OPENSSL,
    /** The JDK's own TLS (SSLEngine). */
    JDK
  }

  /** {@link #port} value meaning "the main port speaks HTTPS". */
  public static final int MAIN_PORT = -1;
  /**
   * Default check for renewed certificate files: certbot-style renewals replace them days before
   * expiry, so seconds of delay do not matter, and reading two small files this often costs
   * nothing.
   */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);

  public TlsOptions {
    Objects.requireNonNull(reloadInterval, "reloadInterval");
    Objects.requireNonNull(provider, "provider");
    if (selfSigned != (certFile == null) || (certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(
          "either a certificate and a key file, or a self-signed certificate");
    }
    if (port < MAIN_PORT || port > 65535) {
      throw new IllegalArgumentException("TLS port out of range: " + port);
    }
    if (reloadInterval.isNegative() || reloadInterval.isZero()) {
      throw new IllegalArgumentException("reload interval must be positive");
    }
  }

  /** HTTPS from the operator's PEM files, on the main port. */
  public static TlsOptions pem(Path certFile, Path keyFile) {
    return new TlsOptions(certFile, keyFile, false, MAIN_PORT, DEFAULT_RELOAD_INTERVAL,
        Provider.AUTO);
  }

  /** HTTPS with a generated self-signed certificate, on the main port. */
  public static TlsOptions generatedSelfSigned() {
    return new TlsOptions(null, null, true, MAIN_PORT, DEFAULT_RELOAD_INTERVAL,
        Provider.AUTO);
  }

  /** The same on a port of its own, beside plain HTTP on the main port. */
  public TlsOptions onPort(int newPort) {
    return new TlsOptions(certFile, keyFile, selfSigned, newPort, reloadInterval, provider);
  }

  public TlsOptions withReloadInterval(Duration interval) {
    return new TlsOptions(certFile, keyFile, selfSigned, port, interval, provider);
  }

  public TlsOptions withProvider(Provider newProvider) {
    return new TlsOptions(certFile, keyFile, selfSigned, port, reloadInterval, newProvider);
  }

  /** Whether HTTPS has a listener of its own beside plain HTTP. */
  public boolean separatePort() {
    return port != MAIN_PORT;
  }
}
