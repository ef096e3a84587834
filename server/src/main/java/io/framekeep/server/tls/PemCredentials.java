package io.framekeep.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key, read from PEM text as openssl writes it: the chain
 * as {@code CERTIFICATE} blocks, leaf first; the key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}, optionally after an
 * {@code EC PARAMETERS} block). Encrypted keys are refused (the server has no one to ask for a
 * passphrase). The key is checked to belong to the leaf certificate, so that a renewal caught
 * half-written (new certificate, old key) is refused rather than served. Immutable.
 */
public record PemCredentials(PrivateKey key, List<X509Certificate> chain) {
  /** Longest PEM file accepted: a chain of a dozen certificates is under 30 KB. */
  static final int MAX_PEM_BYTES = 1024 * 1024;
  private static final byte[] PROBE = "framekeep key check".getBytes(StandardCharsets.US_ASCII);

  public PemCredentials {
    chain = List.copyOf(chain);
  }

  /** Parses and cross-checks PEM text; the message of the exception says what is wrong. */
  public static PemCredentials parse(byte[] certPem, byte[] keyPem) throws GeneralSecurityException {
    List<X509Certificate> chain = certificates(certPem);
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("the certificate file holds no CERTIFICATE block");
    }
    PrivateKey key = privateKey(keyPem);
    checkPair(key, chain.get(0).getPublicKey());
    return new PemCredentials(key, chain);
  }

  private static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(reader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException e) {
      throw new GeneralSecurityException("the certificate file is not valid PEM: " + e.getMessage(),
          e);
    }
    return chain;
  }

  private static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(reader(pem))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          // SEC1 keys may omit the public key, so only the private part is converted.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new GeneralSecurityException("the key file is encrypted; give an unencrypted key"
              + " (openssl pkey -in KEY -out PLAIN)");
        }
        // Anything else (EC PARAMETERS before a SEC1 key, a certificate) is skipped.
      }
    } catch (PEMException e) {
      throw new GeneralSecurityException("the key file is not a usable key: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new GeneralSecurityException("the key file is not valid PEM: " + e.getMessage(), e);
    }
    throw new GeneralSecurityException("the key file holds no PRIVATE KEY, RSA PRIVATE KEY or"
        + " EC PRIVATE KEY block");
  }

  /** Signs a probe with the key and verifies it with the certificate's public key. */
  private static void checkPair(PrivateKey key, PublicKey certificateKey)
      throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new GeneralSecurityException("unsupported key type " + key.getAlgorithm());
    };
    if (!certificateKey.getAlgorithm().equals(key.getAlgorithm())
        && !(isEc(key.getAlgorithm()) && isEc(certificateKey.getAlgorithm()))) {
      throw new GeneralSecurityException("the key (" + key.getAlgorithm()
          + ") does not belong to the certificate (" + certificateKey.getAlgorithm() + ")");
    }
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(PROBE);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificateKey);
    verifier.update(PROBE);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("the key does not belong to the first certificate");
    }
  }

  private static boolean isEc(String algorithm) {
    return algorithm.equals("EC") || algorithm.equals("ECDSA");
  }

  private static Reader reader(byte[] pem) {
    return new StringReader(new String(pem, StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "PemCredentials[" + chain.get(0).getSubjectX500Principal() + ", serial "
        + chain.get(0).getSerialNumber().toString(16) + "]";
  }
}
