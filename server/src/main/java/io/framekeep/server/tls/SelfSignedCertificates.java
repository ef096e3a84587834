package io.framekeep.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one-flag certificate for trying HTTPS out: an ECDSA P-256 key and a self-signed certificate
 * for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, made offline and written to
 * {@code DATA_DIR/tls/} as {@link #CERT_FILE} and {@link #KEY_FILE} (PEM, the key readable by
 * the owner only) so that clients can be told to trust the certificate file
 * ({@code aws --ca-bundle}, {@code boto3 verify=}, a JVM trust store). A certificate already there
 * is reused until {@link #RENEW_BEFORE} before it expires, so clients keep trusting it across
 * restarts. The certificate is its own CA (basic constraints CA:true), which is what lets
 * OpenSSL-based clients use it as a CA bundle.
 */
public final class SelfSignedCertificates {
  public static final String DIRECTORY = "tls";
  public static final String CERT_FILE = "self-signed-cert.pem";
  public static final String KEY_FILE = "self-signed-key.pem";
  /** A year: long enough to forget about while trying things out, short enough to expire. */
  static final Duration VALIDITY = Duration.ofDays(365);
  /** A certificate this close to expiry is replaced at start rather than reused. */
  static final Duration RENEW_BEFORE = Duration.ofDays(7);
  /** Backdated so that a client whose clock runs slightly behind accepts it at once. */
  static final Duration NOT_BEFORE_SLACK = Duration.ofHours(1);
  /** 159 random bits: a positive serial under RFC 5280's 20-octet limit. */
  private static final int SERIAL_BITS = 159;
  private static final String SUBJECT = "CN=Framekeep self-signed (localhost)";

  private SelfSignedCertificates() {}

  /** The certificate and key files under {@code dataDir}, created or renewed as needed. */
  public static TlsFiles ensure(Path dataDir, Clock clock) throws IOException {
    Path dir = dataDir.resolve(DIRECTORY);
    TlsFiles files = new TlsFiles(dir.resolve(CERT_FILE), dir.resolve(KEY_FILE));
    if (usable(files, clock)) {
      return files;
    }
    Files.createDirectories(dir);
    try {
      KeyPair pair = newKeyPair();
      X509Certificate cert = certificate(pair, clock.instant());
      writeAtomically(files.keyFile(), pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
      writeAtomically(files.certFile(), pem(cert), false);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("generating a self-signed certificate failed", e);
    }
    return files;
  }

  /** Whether both files exist, parse as a pair, and stay valid past {@link #RENEW_BEFORE}. */
  private static boolean usable(TlsFiles files, Clock clock) {
    if (!Files.isRegularFile(files.certFile()) || !Files.isRegularFile(files.keyFile())) {
      return false;
    }
    try {
      PemCredentials credentials = files.read();
      Instant notAfter = credentials.chain().get(0).getNotAfter().toInstant();
      return notAfter.isAfter(clock.instant().plus(RENEW_BEFORE));
    } catch (IOException | GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(KeyPair pair, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name subject = new X500Name(SUBJECT);
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
        new BigInteger(SERIAL_BITS, new SecureRandom()), Date.from(now.minus(NOT_BEFORE_SLACK)),
        Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
        new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.iPAddress, "::1")}));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(
        KeyUsage.digitalSignature | KeyUsage.keyCertSign));
    builder.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }

  private static byte[] pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes beside the target and renames over it, so a reader never sees half a file. */
  private static void writeAtomically(Path target, byte[] bytes, boolean ownerOnly)
      throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    if (ownerOnly && temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(temp,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(temp, bytes);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
