package io.framekeep.server.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.model.PlaybackMode;
import io.framekeep.storage.TimeOrigin;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionTokensTest {
  private static final long NOW_MS = 1_750_000_000_000L;

  private static PlaybackSession session(long expiresMs) {
    return new PlaybackSession(PlaybackSession.Protocol.DASH, PlaybackMode.LIVE_REPLAY,
        TimeOrigin.PRODUCER, false, PlaybackSession.Discontinuity.ON_DISCONTINUITY, true, true, 42,
        NOW_MS - 60_000, Long.MAX_VALUE, NOW_MS, expiresMs, NOW_MS - 59_000, NOW_MS - 58_990, 7,
        1234, 5000);
  }

  private static SessionTokens tokens(long nowMs) {
    return SessionTokens.withKey("k", Clock.fixed(Instant.ofEpochMilli(nowMs), ZoneOffset.UTC));
  }

  private static int status(Runnable r) {
    try {
      r.run();
      return 200;
    } catch (ApiException e) {
      return e.error().httpStatus();
    }
  }

  @Test
  void verify_issuedToken_givesBackTheSession() {
    PlaybackSession s = session(NOW_MS + 300_000);

    assertThat(tokens(NOW_MS).verify(tokens(NOW_MS).issue(s))).isEqualTo(s);
  }

  @Test
  void verify_atExpiry_forbidden() {
    String token = tokens(NOW_MS).issue(session(NOW_MS + 300_000));

    assertThat(status(() -> tokens(NOW_MS + 299_999).verify(token))).isEqualTo(200);
    assertThat(status(() -> tokens(NOW_MS + 300_000).verify(token))).isEqualTo(403);
  }

  @Test
  void verify_alteredPayloadSignatureOrKey_forbidden() {
    String token = tokens(NOW_MS).issue(session(NOW_MS + 300_000));
    int dot = token.indexOf('.');
    String payloadChanged = (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
    String signatureChanged = token.substring(0, dot + 1)
        + (token.charAt(dot + 1) == 'A' ? 'B' : 'A') + token.substring(dot + 2);
    SessionTokens otherKey =
        SessionTokens.withKey("other", Clock.fixed(Instant.ofEpochMilli(NOW_MS), ZoneOffset.UTC));

    assertThat(status(() -> tokens(NOW_MS).verify(payloadChanged))).isEqualTo(403);
    assertThat(status(() -> tokens(NOW_MS).verify(signatureChanged))).isEqualTo(403);
    assertThat(status(() -> otherKey.verify(token))).isEqualTo(403);
    assertThat(status(() -> tokens(NOW_MS).verify("no-dot"))).isEqualTo(403);
    assertThat(status(() -> tokens(NOW_MS).verify("!!!.???"))).isEqualTo(403);
    assertThat(status(() -> tokens(NOW_MS).verify("x".repeat(10_000) + ".y"))).isEqualTo(403);
  }

  @Test
  void verify_missing_forbiddenWithMissingAuthenticationToken() {
    assertThatThrownBy(() -> tokens(NOW_MS).verify(null)).isInstanceOfSatisfying(
        ApiException.class, e -> assertThat(e.error().wireName())
            .isEqualTo("MissingAuthenticationTokenException"));
  }

  @Test
  void decode_wrongLengthOrVersion_null() {
    byte[] bytes = session(NOW_MS).encode();
    bytes[0] = 9;

    assertThat(PlaybackSession.decode(bytes)).isNull();
    assertThat(PlaybackSession.decode(new byte[3])).isNull();
  }
}
