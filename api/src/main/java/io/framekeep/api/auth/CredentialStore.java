package io.framekeep.api.auth;

import java.util.Optional;

/**
 * Source of secret access keys for SigV4 verification. Implementations must be thread-safe; the
 * verifier calls them once per request.
 */
public interface CredentialStore {

    /** The secret access key of {@code accessKeyId}, or empty when the key is unknown. */
    Optional<String> secretKey(String accessKeyId);
}
