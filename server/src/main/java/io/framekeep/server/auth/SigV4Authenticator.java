package io.framekeep.server.auth;

import io.framekeep.api.auth.SigV4Verifier;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.server.http.Authenticator;
import java.time.Clock;
import java.util.Optional;

/** Verifies AWS Signature V4 against the one configured credential. Thread-safe. */
public final class SigV4Authenticator {
  private SigV4Authenticator() {}

  public static Authenticator of(Credential credential, Clock clock) {
    SigV4Verifier verifier = new SigV4Verifier(
        accessKeyId -> accessKeyId.equals(credential.accessKeyId())
            ? Optional.of(credential.secretAccessKey())
            : Optional.empty(),
        clock);
    return verifier::verify;
  }

  /** For {@code --no-auth}: every request is accepted as an anonymous caller. */
  public static Authenticator anonymous(String region) {
    VerifiedCaller anonymous = new VerifiedCaller("anonymous", region);
    return request -> anonymous;
  }
}
