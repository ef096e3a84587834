package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerTimestampsTest {
  private static final long ARRIVAL_MS = 1_764_840_000_000L;

  @Test
  void next_fragmentsArrivingInOneMillisecond_eachOneMsAfterThePrevious() {
    ServerTimestamps ts = new ServerTimestamps(Long.MIN_VALUE);
    assertThat(new long[] {ts.next(ARRIVAL_MS), ts.next(ARRIVAL_MS), ts.next(ARRIVAL_MS)})
        .containsExactly(ARRIVAL_MS, ARRIVAL_MS + 1, ARRIVAL_MS + 2);
  }

  @Test
  void next_arrivalAfterTheDrift_arrivalTimeAgain() {
    ServerTimestamps ts = new ServerTimestamps(Long.MIN_VALUE);
    ts.next(ARRIVAL_MS);
    ts.next(ARRIVAL_MS);
    assertThat(ts.next(ARRIVAL_MS + 500)).isEqualTo(ARRIVAL_MS + 500);
  }

  @Test
  void next_streamsPreviousFragmentInTheSameMillisecond_continuesAfterIt() {
    ServerTimestamps ts = new ServerTimestamps(ARRIVAL_MS + 3);
    assertThat(ts.next(ARRIVAL_MS)).isEqualTo(ARRIVAL_MS + 4);
  }

  @Test
  void next_clockSteppedBack_stillIncreasing() {
    ServerTimestamps ts = new ServerTimestamps(Long.MIN_VALUE);
    ts.next(ARRIVAL_MS);
    assertThat(ts.next(ARRIVAL_MS - 60_000)).isEqualTo(ARRIVAL_MS + 1);
  }

  @Test
  void waitMs_oneMsAhead_untilTheClockReachesIt() {
    assertThat(ServerTimestamps.waitMs(ARRIVAL_MS + 1, ARRIVAL_MS)).isEqualTo(1);
  }

  @Test
  void waitMs_farAheadAsAfterTheClockWentBack_atMostOneMs() {
    assertThat(ServerTimestamps.waitMs(ARRIVAL_MS + 60_000, ARRIVAL_MS)).isEqualTo(1);
  }

  @Test
  void waitMs_notAhead_zero() {
    assertThat(ServerTimestamps.waitMs(ARRIVAL_MS, ARRIVAL_MS)).isZero();
    assertThat(ServerTimestamps.waitMs(ARRIVAL_MS, ARRIVAL_MS + 7)).isZero();
  }
}
