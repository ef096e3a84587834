package io.framekeep.server.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

class RequestRateTest {
  @Test
  void acquire_pastTheBurst_clientLimitExceededNamingTheRate() {
    RequestRate rate = new RequestRate(true, 5, "GetMedia requests per stream",
        MutableClock.atEpochMillis(1_000));
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
    MutableClock clock = MutableClock.atEpochMillis(0);
    RequestRate rate = new RequestRate(true, 5, "requests", clock);
    for (int i = 0; i < 10; i++) {
      rate.acquire("k");
    }
    clock.advanceMillis(199);
    assertThatThrownBy(() -> rate.acquire("k")).isInstanceOf(ApiException.class);

    clock.advanceMillis(1);
    assertThatCode(() -> rate.acquire("k")).doesNotThrowAnyException();
    assertThatThrownBy(() -> rate.acquire("k")).isInstanceOf(ApiException.class);
  }

  @Test
  void acquire_sustainedAtTheRate_neverRefused() {
    MutableClock clock = MutableClock.atEpochMillis(0);
    RequestRate rate = new RequestRate(true, 20, "requests", clock);

    assertThatCode(() -> {
      for (int i = 0; i < 1000; i++) {
        rate.acquire("k");
        clock.advanceMillis(50);
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void acquire_disabled_neverRefuses() {
    RequestRate rate = new RequestRate(false, 1, "requests", MutableClock.atEpochMillis(0));

    assertThatCode(() -> {
      for (int i = 0; i < 100; i++) {
        rate.acquire("k");
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void acquire_manyKeys_restedOnesForgottenSoMemoryStaysBounded() {
    MutableClock clock = MutableClock.atEpochMillis(0);
    RequestRate rate = new RequestRate(true, 5, "requests", clock);
    for (int i = 0; i <= RequestRate.MAX_TRACKED_KEYS; i++) {
      rate.acquire(i);
    }
    clock.advanceMillis(1_000);

    rate.acquire(-1);

    assertThat(rate.trackedKeys()).isLessThan(10);
  }

  @Test
  void acquire_busyKeyAmongManyRested_keepsItsCount() {
    MutableClock clock = MutableClock.atEpochMillis(0);
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

  @Test
  void acquire_burstOfOneSecond_sixthWithinTheSecondRefusedThenOneEveryFifth() {
    MutableClock clock = MutableClock.atEpochMillis(0);
    RequestRate rate = new RequestRate(true, 5, 1, "PutMedia requests per stream", clock);
    for (int i = 0; i < 5; i++) {
      rate.acquire("stream");
    }

    assertThatThrownBy(() -> rate.acquire("stream")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.error().wireName()).isEqualTo("ClientLimitExceededException"));
    clock.advanceMillis(200);
    assertThatCode(() -> rate.acquire("stream")).doesNotThrowAnyException();
    assertThatThrownBy(() -> rate.acquire("stream")).isInstanceOf(ApiException.class);
  }

  @Test
  void acquire_burstOfOneSecondDisabled_acceptsEverything() {
    RequestRate rate = new RequestRate(false, 5, 1, "PutMedia requests per stream",
        MutableClock.atEpochMillis(0));

    assertThatCode(() -> {
      for (int i = 0; i < 100; i++) {
        rate.acquire("stream");
      }
    }).doesNotThrowAnyException();
  }
}
