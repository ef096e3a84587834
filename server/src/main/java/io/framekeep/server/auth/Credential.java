package io.framekeep.server.auth;

/** The access key pair the server accepts signatures from. */
public record Credential(String accessKeyId, String secretAccessKey) {
  @Override
  public String toString() {
    return "Credential[" + accessKeyId + "]"; // never log the secret
  }
}
