package io.framekeep.server.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RequestRateTest {
  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    long ms;

    MovingClock(long ms) {
      this.ms = ms;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(ms);
    }
  }

  @Test
  void acquire_pastTheBurst_clientLimitExceededNamingTheRate() {
    RequestRate rate = new RequestRate(true, 5, "GetMedia requests per stream",
        new MovingClock(1_000));
    for (int i = 0; i < 5 * FragmentQuotas.BURST_SECONDS; i++) {
      rate.acquire(1L);
    }

    assertThatThrownBy(() -> rate.acquire(1L)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.error().wireName()).isEqualTo("ClientLimitExceededException");
      assertThat(e.getMessage()).contains("5 GetMedia requests per stream per second");
    });
    assertThatCode(() -> rate.acquire(2L)).as("another key").doesNotThrowAnyException();
  }

  @Test
  void acquire_afterRefusal_oneMoreEveryFifthOfASecondAtFivePerSecond() {
    MovingClock clock = new MovingClock(0);
    RequestRate rate = new RequestRate(true, 5, "requests", clock);
    for (int i = 0; i < 10; i++) {
      rate.acquire("k");
    }
    clock.ms += 199;
    assertThatThrownBy(() -> rate.acquire("k")).isInstanceOf(ApiException.class);

    clock.ms += 1;
    assertThatCode(() -> rate.acquire("k")).doesNotThrowAnyException();
    assertThatThrownBy(() -> rate.acquire("k")).isInstanceOf(ApiException.class);
  }

  @Test
  void acquire_sustainedAtTheRate_neverRefused() {
    MovingClock clock = new MovingClock(0);
    RequestRate rate = new RequestRate(true, 20, "requests", clock);

    assertThatCode(() -> {
      for (int i = 0; i < 1000; i++) {
        rate.acquire("k");
        clock.ms += 50;
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void acquire_disabled_neverRefuses() {
    RequestRate rate = new RequestRate(false, 1, "requests", new MovingClock(0));

    assertThatCode(() -> {
      for (int i = 0; i < 100; i++) {
        rate.acquire("k");
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void acquire_manyKeys_restedOnesForgottenSoMemoryStaysBounded() {
    MovingClock clock = new MovingClock(0);
    RequestRate rate = new RequestRate(true, 5, "requests", clock);
    for (int i = 0; i <= RequestRate.MAX_TRACKED_KEYS; i++) {
      rate.acquire(i);
    }
    clock.ms += 1_000;

    rate.acquire(-1);

    assertThat(rate.trackedKeys()).isLessThan(10);
  }

  @Test
  void acquire_busyKeyAmongManyRested_keepsItsCount() {
    MovingClock clock = new MovingClock(0);
    RequestRate rate = new RequestRate(true, 5, "requests", clock);
    for (int i = 0; i < 10; i++) {
      rate.acquire("busy");
    }
    for (int i = 0; i < RequestRate.MAX_TRACKED_KEYS; i++) {
      rate.acquire(i);
    }

    assertThatThrownBy(() -> rate.acquire("busy")).as("not forgotten while it is spent")
        .isInstanceOf(ApiException.class);
  }
}
