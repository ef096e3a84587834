package io.framekeep.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FragmentPacerTest {
  @Test
  void reserve_afterTheBurst_oneFragmentEveryFifthOfASecond() {
    long[] now = {1_000};
    FragmentPacer pacer = new FragmentPacer(5, () -> now[0]);
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      waits.add(pacer.reserve());
    }

    assertThat(waits.subList(0, 10)).as("the 2 s burst").containsOnly(0L);
    assertThat(waits.subList(10, 13)).containsExactly(200L, 400L, 600L);
  }

  @Test
  void reserve_readerKeepingPace_neverWaits() {
    long[] now = {0};
    FragmentPacer pacer = new FragmentPacer(5, () -> now[0]);
    for (int i = 0; i < 100; i++) {
      assertThat(pacer.reserve()).isZero();
      now[0] += 200;
    }
  }

  @Test
  void reserve_unlimited_neverWaits() {
    FragmentPacer pacer = FragmentPacer.unlimited();
    for (int i = 0; i < 10_000; i++) {
      assertThat(pacer.reserve()).isZero();
    }
  }
}
