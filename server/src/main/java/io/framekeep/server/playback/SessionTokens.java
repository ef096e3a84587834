package io.framekeep.server.playback;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session tokens: a {@link PlaybackSession} and an HMAC-SHA256 over it, as {@code
 * base64url(payload) "." base64url(mac)}. A token cannot be altered without the key and stops
 * working at its expiry; the session URL is the only credential the playback GETs need (no
 * SigV4), as with KVS. The key comes from storage ({@code Storage.sharedSecret}): random per start
 * of an embedded server (sessions end with a restart), shared by all nodes of a cluster.
 * Thread-safe.
 */
final class SessionTokens {
  /** 256-bit key: the HMAC-SHA256 block-size-independent strength. */
  static final int KEY_BYTES = 32;
  /** A valid token is about 150 characters; anything much longer is refused unparsed. */
  static final int MAX_TOKEN_CHARS = 512;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final Clock clock;

  SessionTokens(byte[] key, Clock clock) {
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    this.clock = clock;
  }

  static SessionTokens withRandomKey(Clock clock) {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return new SessionTokens(key, clock);
  }

  String issue(PlaybackSession session) {
    byte[] payload = session.encode();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(payload) + "." + b64.encodeToString(mac(payload));
  }

  /**
   * The session of a token whose signature holds and which has not expired.
   *
   * @throws ApiException 403: MissingAuthenticationToken when absent, InvalidSignature when
   *     altered, malformed or expired
   */
  PlaybackSession verify(String token) {
    if (token == null || token.isEmpty()) {
      throw ApiException.of(AwsError.MISSING_AUTHENTICATION_TOKEN,
          "The SessionToken query parameter is required.");
    }
    int dot = token.indexOf('.');
    if (token.length() > MAX_TOKEN_CHARS || dot < 0) {
      throw invalid();
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
      signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // Only the canonical spelling is accepted: base64 leaves spare bits in a last character, and
    // a token whose spare bits were changed must not pass as the token that was issued.
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    if (!token.equals(b64.encodeToString(payload) + "." + b64.encodeToString(signature))) {
      throw invalid();
    }
    if (!MessageDigest.isEqual(mac(payload), signature)) {
      throw invalid();
    }
    PlaybackSession session = PlaybackSession.decode(payload);
    if (session == null) {
      throw invalid();
    }
    if (clock.millis() >= session.expiresMs()) {
      throw ApiException.of(AwsError.INVALID_SIGNATURE, "The session token has expired.");
    }
    return session;
  }

  private static ApiException invalid() {
    return ApiException.of(AwsError.INVALID_SIGNATURE, "The session token is not valid.");
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + ALGORITHM, e);
    }
  }

  /** Test hook: the same key bytes give the same tokens. */
  static SessionTokens withKey(String key, Clock clock) {
    return new SessionTokens(key.getBytes(StandardCharsets.UTF_8), clock);
  }
}
