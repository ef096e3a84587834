package io.framekeep.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** A PEM certificate chain file and its private key file. */
public record TlsFiles(Path certFile, Path keyFile) {
  /** Reads and cross-checks both files (see {@link PemCredentials#parse}). */
  public PemCredentials read() throws IOException, GeneralSecurityException {
    return PemCredentials.parse(bytes(certFile), bytes(keyFile));
  }

  /** Both files' bytes, for change detection; at most {@link PemCredentials#MAX_PEM_BYTES} each. */
  byte[][] contents() throws IOException {
    return new byte[][] {bytes(certFile), bytes(keyFile)};
  }

  private static byte[] bytes(Path file) throws IOException {
    long size = Files.size(file);
    if (size > PemCredentials.MAX_PEM_BYTES) {
      throw new IOException(file + " is " + size + " bytes; a PEM certificate or key file is at"
          + " most " + PemCredentials.MAX_PEM_BYTES);
    }
    return Files.readAllBytes(file);
  }
}
