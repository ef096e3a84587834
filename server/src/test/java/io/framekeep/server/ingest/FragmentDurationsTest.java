package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.FrameTable;
import org.junit.jupiter.api.Test;

class FragmentDurationsTest {
  @Test
  void durationMs_30fpsVideoWithoutDeclaredDurations_spansFramesPlusOneSpacing() {
    FrameTable.Builder b = new FrameTable.Builder(1_000_000, 5000);
    for (int i = 0; i < 30; i++) {
      b.add(1, i == 0, i * 1000 / 30, i * 100, 100, 0);
    }
    // 29 spacings of ~33 ms cover 966 ms; the last frame adds one average spacing.
    assertThat(FragmentDurations.durationMs(b.build())).isBetween(995L, 1000L);
  }

  @Test
  void durationMs_declaredDurationsAndScale_usesFrameEnds() {
    FrameTable.Builder b = new FrameTable.Builder(100_000, 0); // 0.1 ms ticks
    b.add(1, true, 0, 0, 10, 5000);
    b.add(1, false, 5000, 10, 10, 5000);
    assertThat(FragmentDurations.durationMs(b.build())).isEqualTo(1000);
  }

  @Test
  void durationMs_emptyFragment_isZero() {
    assertThat(FragmentDurations.durationMs(new FrameTable.Builder(1_000_000, 0).build())).isZero();
  }
}
