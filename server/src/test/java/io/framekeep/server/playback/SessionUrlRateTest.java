package io.framekeep.server.playback;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionUrlRateTest {
  private static final PlaybackSession.Protocol HLS = PlaybackSession.Protocol.HLS;

  private static Clock at(long ms) {
    return Clock.fixed(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
  }

  @Test
  void acquire_overLimitInOneSecond_clientLimitExceeded() {
    SessionUrlRate rate = new SessionUrlRate(true, 3, at(10_500));
    for (int i = 0; i < 3; i++) {
      rate.acquire(1, HLS);
    }

    assertThatThrownBy(() -> rate.acquire(1, HLS)).isInstanceOfSatisfying(ApiException.class,
        e -> org.assertj.core.api.Assertions.assertThat(e.error().wireName())
            .isEqualTo("ClientLimitExceededException"));
    assertThatCode(() -> rate.acquire(2, HLS)).as("another stream").doesNotThrowAnyException();
    assertThatCode(() -> rate.acquire(1, PlaybackSession.Protocol.DASH)).as("the other operation")
        .doesNotThrowAnyException();
  }

  @Test
  void acquire_nextSecond_countsAgain() {
    Clock[] clock = {at(10_999)};
    SessionUrlRate rate = new SessionUrlRate(true, 1, new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock[0].instant();
      }
    });
    rate.acquire(1, HLS);
    clock[0] = at(11_000);

    assertThatCode(() -> rate.acquire(1, HLS)).doesNotThrowAnyException();
  }

  @Test
  void acquire_disabled_neverRefuses() {
    SessionUrlRate rate = new SessionUrlRate(false, 1, at(0));

    assertThatCode(() -> {
      for (int i = 0; i < 100; i++) {
        rate.acquire(1, HLS);
      }
    }).doesNotThrowAnyException();
  }
}
