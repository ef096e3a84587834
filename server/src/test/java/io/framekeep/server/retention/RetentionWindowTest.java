package io.framekeep.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetentionWindowTest {
  @Test
  void cutoffMs_retentionZero_hidesEverything() {
    assertThat(RetentionWindow.cutoffMs(0, 1_000_000)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void cutoffMs_oneHour_isOneHourBeforeNow() {
    assertThat(RetentionWindow.cutoffMs(1, 10_000_000)).isEqualTo(10_000_000 - 3_600_000);
  }

  @Test
  void cutoffMs_periodLongerThanEpoch_saturatesInsteadOfOverflowing() {
    assertThat(RetentionWindow.cutoffMs(87_600, Long.MIN_VALUE + 5)).isEqualTo(Long.MIN_VALUE);
  }
}
