package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.tls.TlsOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate reload without restart: the server watches its PEM files; after they are replaced a
 * new connection is handed the new certificate, while a connection opened before keeps working
 * with the old one. A half-finished renewal (new certificate, old key) is not served.
 */
class TlsReloadTest {
  /** The server checks its files this often here (the default is seconds). */
  private static final Duration RELOAD_INTERVAL = Duration.ofMillis(100);
  /** Longest wait for a reload to show: many intervals, for a loaded machine. */
  private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(15);

  @TempDir static Path dir;
  private static TestTls.Pair first;
  private static TestTls.Pair second;
  private static Path certFile;
  private static Path keyFile;

  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> {
    first = TestTls.rsa(dir, "first");
    second = TestTls.rsa(dir, "second");
    certFile = dir.resolve("server-cert.pem");
    keyFile = dir.resolve("server-key.pem");
    copy(first.cert(), certFile);
    copy(first.key(), keyFile);
    return c.withTls(TlsOptions.pem(certFile, keyFile).withReloadInterval(RELOAD_INTERVAL));
  });

  @Test
  void reload_filesReplaced_newConnectionGetsNewSerialAndOldConnectionStillWorks()
      throws Exception {
    BigInteger oldSerial = first.certificate().getSerialNumber();
    BigInteger newSerial = second.certificate().getSerialNumber();
    assertThat(newSerial).isNotEqualTo(oldSerial);
    try (SSLSocket old = connect()) {
      assertThat(peerSerial(old)).isEqualTo(oldSerial);
      assertThat(health(old)).isEqualTo("ok\n");

      // A renewal caught half-way: the new certificate beside the old key is refused.
      copy(second.cert(), certFile);
      Thread.sleep(RELOAD_INTERVAL.multipliedBy(5).toMillis());
      try (SSLSocket during = connect()) {
        assertThat(peerSerial(during)).as("serial while the key does not match").isEqualTo(oldSerial);
      }

      copy(second.key(), keyFile);
      BigInteger seen = oldSerial;
      long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
      while (!seen.equals(newSerial) && System.nanoTime() < deadline) {
        Thread.sleep(RELOAD_INTERVAL.toMillis());
        try (SSLSocket fresh = connect()) {
          seen = peerSerial(fresh);
          assertThat(health(fresh)).isEqualTo("ok\n");
        }
      }
      assertThat(seen).as("serial of a new connection after the swap").isEqualTo(newSerial);
      assertThat(SERVER.server().tls().certificate().getSerialNumber()).isEqualTo(newSerial);

      assertThat(health(old)).as("a request on the connection opened before").isEqualTo("ok\n");
      assertThat(peerSerial(old)).isEqualTo(oldSerial);
    }
  }

  @Test
  void reload_garbageWritten_keepsServingTheCertificateInUse() throws Exception {
    BigInteger before = SERVER.server().tls().certificate().getSerialNumber();
    Path savedCert = dir.resolve("saved-cert.pem");
    copy(certFile, savedCert);
    try {
      Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n");
      Thread.sleep(RELOAD_INTERVAL.multipliedBy(5).toMillis());
      try (SSLSocket s = connect()) {
        assertThat(peerSerial(s)).isEqualTo(before);
        assertThat(health(s)).isEqualTo("ok\n");
      }
    } finally {
      copy(savedCert, certFile);
    }
  }

  /** A TLS connection to the server that trusts both test certificates and checks the host. */
  private static SSLSocket connect() throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("first", first.certificate());
    store.setCertificateEntry("second", second.certificate());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    URI url = URI.create(SERVER.baseUrl());
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(url.getHost(),
        url.getPort());
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  private static BigInteger peerSerial(SSLSocket socket) throws Exception {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  /** GET /health on a kept-alive connection; returns the body. */
  private static String health(SSLSocket socket) throws IOException {
    socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    assertThat(head).startsWith("HTTP/1.1 200");
    int length = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
        .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim())).findFirst()
        .orElseThrow();
    return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside a response head: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Replaces {@code target} in one rename, as certificate tools do. */
  private static void copy(Path source, Path target) {
    try {
      Path temp = target.resolveSibling(target.getFileName() + ".new");
      Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
