package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestPacerTest {
  @Test
  void waitMs_withinOneSecondsBurst_noWait() {
    IngestPacer pacer = IngestPacer.aws(0);
    pacer.spend(5, 1_000_000, 0);

    assertThat(pacer.waitMs(0)).isZero();
  }

  @Test
  void waitMs_sixthFragmentAtOnce_waitsOneFifthOfASecond() {
    IngestPacer pacer = IngestPacer.aws(0);
    pacer.spend(6, 0, 0);

    assertThat(pacer.waitMs(0)).isEqualTo(200);
    assertThat(pacer.waitMs(200)).isZero();
  }

  @Test
  void waitMs_bytesPastTwelveAndAHalfMegabytes_waitsForTheExcessAtThatRate() {
    IngestPacer pacer = IngestPacer.aws(0);
    pacer.spend(0, 12_500_000 + 1_250_000, 0);

    assertThat(pacer.waitMs(0)).isEqualTo(100);
  }

  @Test
  void waitMs_sustainedRate_fiveFragmentsPerSecond() {
    IngestPacer pacer = IngestPacer.aws(0);
    long nowMs = 0;
    int fragments = 0;
    while (nowMs < 10_000) {
      long wait = pacer.waitMs(nowMs);
      if (wait > 0) {
        nowMs += wait;
        continue;
      }
      pacer.spend(1, 100, nowMs);
      fragments++;
    }
    // One second's burst, then 5 per second for ten seconds.
    assertThat(fragments).isBetween(54, 56);
  }
}
