package io.framekeep.server.http;

import io.framekeep.api.auth.SignedRequest;
import io.framekeep.api.auth.VerifiedCaller;

/**
 * Decides who sent a request. Throws {@code io.framekeep.api.ApiException} with the AWS auth error
 * when the signature is missing or wrong. Thread-safe.
 */
@FunctionalInterface
public interface Authenticator {
  VerifiedCaller authenticate(SignedRequest request);

  /** False when every request is accepted unsigned ({@code --no-auth}). */
  default boolean checksSignatures() {
    return true;
  }
}
