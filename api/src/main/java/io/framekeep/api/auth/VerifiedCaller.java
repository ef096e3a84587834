package io.framekeep.api.auth;

/**
 * The identity a request proved with a valid signature.
 *
 * @param accessKeyId the access key that signed the request
 * @param region the region of the credential scope, e.g. {@code us-west-2}
 */
public record VerifiedCaller(String accessKeyId, String region) {
}
