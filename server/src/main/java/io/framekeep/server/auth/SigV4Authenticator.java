package io.framekeep.server.auth;

import io.framekeep.api.auth.SigV4Verifier;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.server.http.Authenticator;
import java.time.Clock;

/** Verifies AWS Signature V4 against the known credentials. Thread-safe. */
public final class SigV4Authenticator {
  private SigV4Authenticator() {}

  public static Authenticator of(Permissions permissions, Clock clock) {
    SigV4Verifier verifier = new SigV4Verifier(permissions::secretKey, clock);
    return verifier::verify;
  }

  /** For {@code --no-auth}: every request is accepted as an anonymous caller. */
  public static Authenticator anonymous(String region) {
    VerifiedCaller anonymous = new VerifiedCaller("anonymous", region);
    return new Authenticator() {
      @Override
      public VerifiedCaller authenticate(io.framekeep.api.auth.SignedRequest request) {
        return anonymous;
      }

      @Override
      public boolean checksSignatures() {
        return false;
      }
    };
  }
}
